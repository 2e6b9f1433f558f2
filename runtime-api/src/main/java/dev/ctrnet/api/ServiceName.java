package dev.ctrnet.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares, on a {@link NetworkDriver} or {@link NatBackend} class, the name its {@code name()}
 * returns, so that the runtime learns a plugin's names before running any of its code.
 *
 * <p>The runtime reads this annotation from the loaded but not yet initialized class. A plugin jar
 * whose declared name is already taken (for example {@code bridge}) or reserved ({@code auto} for a
 * backend) is refused with none of its code having run: no static initializer, no constructor.
 * Once every declared name is free, the classes are instantiated and {@code name()} must return the
 * declared name; a class whose {@code name()} says otherwise is refused.
 *
 * <p>Optional, added in SPI 2.2: a class without it still loads, but then the runtime can only learn
 * its name by instantiating it, so its static initializer and constructor run before a name clash
 * can be seen (after every check that does not need the name has passed). Declare it.
 *
 * <pre>{@code
 * @ServiceName("macvlan")
 * public final class MacvlanDriver implements NetworkDriver {
 *     public String name() { return "macvlan"; }
 *     ...
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ServiceName {
    /** The name, equal to what the class's {@code name()} returns. */
    String value();
}
