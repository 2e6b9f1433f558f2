package dev.ctrnet.core.plugin;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;

/**
 * Loads a plugin's classes and resources from the bytes of its jar, read once through the descriptor
 * that was checked ({@link TrustedPath}), so that nothing is ever read from the jar's path again. Its
 * resources ({@code META-INF/services}, the manifest, anything the plugin reads with
 * {@code getResource}) are served from the same bytes under {@code ctrnet-plugin:} URLs. The manifest's
 * {@code Class-Path} is ignored: a plugin is its one jar.
 */
final class PluginClassLoader extends ClassLoader {
    private static final String PROTOCOL = "ctrnet-plugin";

    private final PluginJar jar;
    private final String urlPrefix;
    private final URLStreamHandler entries = new EntryHandler();
    private final ProtectionDomain domain;

    PluginClassLoader(PluginJar jar, ClassLoader parent) {
        super("plugin " + jar.path().getFileName(), parent);
        this.jar = jar;
        this.urlPrefix = jar.path() + "!/";
        this.domain = new ProtectionDomain(new CodeSource(location(jar), (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = jar.entry(name.replace('.', '/') + ".class").orElseThrow(() -> new ClassNotFoundException(name));
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            definePackage(name.substring(0, dot));
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    @Override
    protected URL findResource(String name) {
        if (jar.entry(name).isEmpty()) {
            return null;
        }
        try {
            return new URL(PROTOCOL, null, -1, urlPrefix + name, entries);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
    }

    /** Defines {@code name} with what the manifest says of it, as a jar's class loader does. */
    private void definePackage(String name) {
        if (getDefinedPackage(name) != null) {
            return;
        }
        String section = name.replace('.', '/') + "/";
        definePackage(name,
                jar.attribute(section, Attributes.Name.SPECIFICATION_TITLE),
                jar.attribute(section, Attributes.Name.SPECIFICATION_VERSION),
                jar.attribute(section, Attributes.Name.SPECIFICATION_VENDOR),
                jar.attribute(section, Attributes.Name.IMPLEMENTATION_TITLE),
                jar.attribute(section, Attributes.Name.IMPLEMENTATION_VERSION),
                jar.attribute(section, Attributes.Name.IMPLEMENTATION_VENDOR),
                null);
    }

    /** The jar's path as a URL: for stack traces and code sources only, never opened. */
    private static URL location(PluginJar jar) {
        try {
            return jar.path().toUri().toURL();
        } catch (MalformedURLException e) {
            return null;
        }
    }

    /** Opens {@code ctrnet-plugin:} URLs of this loader's entries. */
    private final class EntryHandler extends URLStreamHandler {
        @Override
        protected URLConnection openConnection(URL url) throws FileNotFoundException {
            String file = url.getFile();
            Optional<byte[]> bytes = file.startsWith(urlPrefix)
                    ? jar.entry(file.substring(urlPrefix.length()))
                    : Optional.empty();
            if (bytes.isEmpty()) {
                throw new FileNotFoundException(url.toString());
            }
            return new URLConnection(url) {
                @Override
                public void connect() {
                    connected = true;
                }

                @Override
                public InputStream getInputStream() {
                    return new ByteArrayInputStream(bytes.get());
                }

                @Override
                public long getContentLengthLong() {
                    return bytes.get().length;
                }
            };
        }
    }
}
