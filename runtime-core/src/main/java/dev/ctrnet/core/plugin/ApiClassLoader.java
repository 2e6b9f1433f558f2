package dev.ctrnet.core.plugin;

import java.util.Set;

/**
 * The parent of every plugin's class loader: the JDK, plus the SPI (runtime-api's packages) and the SLF4J API
 * taken from the runtime, so that a plugin and the core agree on the SPI's types. Nothing else of the runtime is
 * visible, so a plugin cannot come to depend on the core's internals or clash with its libraries, and the
 * built-in drivers' service files do not show through.
 *
 * <p>The packages are listed exactly rather than by prefix: another jar of the runtime may hold a package whose
 * name starts like the SPI's (runtime-api's test kit, {@code dev.ctrnet.api.testing}, does in the tests), or like
 * SLF4J's ({@code org.slf4j.simple}, the CLI's logger), and those are not the SPI. A module-info would not
 * do this: plugins and the runtime are loaded from the class path, where a module's exports are not enforced.
 */
final class ApiClassLoader extends ClassLoader {
    /** runtime-api's packages; ApiClassLoaderTest checks that they are all of them. */
    static final Set<String> API_PACKAGES = Set.of("dev.ctrnet.api", "dev.ctrnet.api.firewall", "dev.ctrnet.api.kernel",
            "dev.ctrnet.api.net");
    /** The SLF4J API's packages, which plugins may log through. */
    static final Set<String> LOGGING_PACKAGES = Set.of("org.slf4j", "org.slf4j.event", "org.slf4j.helpers",
            "org.slf4j.spi");

    private final ClassLoader runtime;

    ApiClassLoader(ClassLoader runtime) {
        super("ctrnet-api", ClassLoader.getPlatformClassLoader());
        this.runtime = runtime;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        int dot = name.lastIndexOf('.');
        String pkg = dot < 0 ? "" : name.substring(0, dot);
        if (API_PACKAGES.contains(pkg) || LOGGING_PACKAGES.contains(pkg)) {
            return runtime.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }
}
