package dev.ctrnet.core.plugin;

import java.util.List;

/**
 * The parent of every plugin's class loader: the JDK, plus the SPI ({@code dev.ctrnet.api}) and the
 * SLF4J API taken from the runtime, so that a plugin and the core agree on the SPI's types. Nothing
 * else of the runtime is visible, so a plugin cannot come to depend on the core's internals or clash
 * with its libraries, and the built-in drivers' service files do not show through.
 */
final class ApiClassLoader extends ClassLoader {
    private static final List<String> SHARED_PACKAGES = List.of("dev.ctrnet.api.", "org.slf4j.");

    private final ClassLoader runtime;

    ApiClassLoader(ClassLoader runtime) {
        super("ctrnet-api", ClassLoader.getPlatformClassLoader());
        this.runtime = runtime;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (SHARED_PACKAGES.stream().anyMatch(name::startsWith)) {
            return runtime.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }
}
