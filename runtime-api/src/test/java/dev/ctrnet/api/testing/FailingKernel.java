package dev.ctrnet.api.testing;

import dev.ctrnet.api.ProvidedByRuntime;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Namespaces;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A failure in the way of a {@link Kernel}: counts the changes made through the kernel and fails one of them, as a
 * real kernel can refuse any step: the chosen change throws a {@link KernelException} instead of reaching the kernel; the others,
 * before and after, reach it. A change is a call of a primitive that returns nothing ({@code createLink},
 * {@code addRoute}, {@code write}, …) or {@link Namespaces#create}; reads pass through uncounted. What the
 * primitives hand out ({@code namespaces()}, {@code netlink(…)}, {@code sysctl()}) is wrapped alike, so every
 * change is seen whichever way a driver reaches it, also through primitives added to the SPI later.
 */
public final class FailingKernel {
    /** What the failure reports, an errno no driver has a reason to expect and handle (EIO). */
    private static final int INJECTED = 5;

    private final int failAt;
    private int changes;

    private FailingKernel(int failAt) {
        this.failAt = failAt;
    }

    /** Fails the {@code n}th change, counting from 1. */
    public static FailingKernel atChange(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("changes count from 1");
        }
        return new FailingKernel(n);
    }

    /** Fails no change: for counting the changes of a call that succeeds. */
    public static FailingKernel never() {
        return new FailingKernel(0);
    }

    /** {@code real}, with this failure in its way. */
    public Kernel around(Kernel real) {
        return (Kernel) wrap(Kernel.class, real);
    }

    /** How many changes were asked for, the failed one included. */
    public int changes() {
        return changes;
    }

    /** Whether the failure was injected: the call came as far as the change that fails. */
    public boolean injected() {
        return failAt > 0 && changes >= failAt;
    }

    private Object wrap(Class<?> type, Object real) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (isChange(method) && ++changes == failAt) {
                throw new KernelException(INJECTED, "injected failure of change " + failAt + ": " + method.getName());
            }
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return result != null && method.getReturnType().isAnnotationPresent(ProvidedByRuntime.class)
                    ? wrap(method.getReturnType(), result) : result;
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static boolean isChange(Method method) {
        return method.getReturnType() == void.class
                || (method.getDeclaringClass() == Namespaces.class && method.getName().equals("create"));
    }
}
