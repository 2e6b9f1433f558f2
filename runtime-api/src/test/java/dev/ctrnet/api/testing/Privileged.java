package dev.ctrnet.api.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test (a class, or one method) that needs root and the throwaway network namespace of the test
 * sandbox: it makes links, namespaces or rules, or sends traffic. Tests without it need no kernel and run
 * anywhere, as any user.
 *
 * <p>Outside the sandbox (a build without root, an IDE) {@link PrivilegedTests} leaves the marked tests out
 * and prints how many it left out, rather than letting them fail or pass unseen. It carries the tag
 * {@value #TAG} for JUnit and jqwik alike, so {@code -Dgroups=privileged} or
 * {@code -DexcludedGroups=privileged} select them too.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(Privileged.TAG)
@net.jqwik.api.Tag(Privileged.TAG)
public @interface Privileged {
    /** The tag every privileged test carries. */
    String TAG = "privileged";
}
