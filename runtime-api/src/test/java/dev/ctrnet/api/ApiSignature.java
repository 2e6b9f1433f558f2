package dev.ctrnet.api;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The public surface of runtime-api as sorted text lines: every public type, and its public and
 * protected constructors, methods and fields, with their generic signatures. What a compiled plugin
 * links against is exactly this; implementation bodies and constant values are not part of it.
 */
final class ApiSignature {
    private ApiSignature() {}

    /** The lines of every public type compiled into the folder that holds {@link SpiVersion}. */
    static List<String> ofThisModule() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(SpiVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> lines = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, ApiSignature.class.getClassLoader());
                if (isVisible(type)) {
                    lines.addAll(of(type));
                }
            }
        }
        return List.copyOf(lines);
    }

    /** Whether a plugin can name {@code type}: public, and so is every type enclosing it. */
    private static boolean isVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> of(Class<?> type) {
        List<String> lines = new ArrayList<>();
        lines.add(declaration(type));
        Stream.of(type.getDeclaredConstructors(), type.getDeclaredMethods(), type.getDeclaredFields())
                .flatMap(Arrays::stream)
                .filter(m -> isApi((Member) m))
                .map(m -> type.getName() + " :: " + signature((Member) m))
                .forEach(lines::add);
        return lines;
    }

    private static boolean isApi(Member member) {
        int mods = member.getModifiers();
        boolean bridge = member instanceof Method m && m.isBridge();
        return (Modifier.isPublic(mods) || Modifier.isProtected(mods)) && !member.isSynthetic() && !bridge;
    }

    private static String signature(Member member) {
        if (member instanceof Method m) {
            return m.toGenericString();
        }
        if (member instanceof Constructor<?> c) {
            return c.toGenericString();
        }
        return ((Field) member).toGenericString();
    }

    /** The type's kind, modifiers and supertypes; not its permitted subtypes, which plugins do not name. */
    private static String declaration(Class<?> type) {
        StringBuilder s = new StringBuilder(type.getName()).append(" = ")
                .append(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.ABSTRACT
                        | (type.isInterface() ? 0 : type.getModifiers() & Modifier.ABSTRACT)))
                .append(type.isRecord() ? " record" : type.isEnum() ? " enum" : type.isInterface() ? " interface" : " class");
        if (type.getGenericSuperclass() != null && !type.isEnum() && !type.isRecord()
                && type.getSuperclass() != Object.class) {
            s.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        List<String> interfaces = Arrays.stream(type.getGenericInterfaces()).map(t -> t.getTypeName()).toList();
        if (!interfaces.isEmpty()) {
            s.append(type.isInterface() ? " extends " : " implements ").append(String.join(", ", interfaces));
        }
        return s.toString();
    }

    /** Whether {@code line} declares an abstract method, which every implementation must then have. */
    static boolean isAbstractMethod(String line) {
        return line.contains(" :: ") && line.contains(" abstract ");
    }

    /** The type a member line belongs to. */
    static String typeOf(String line) {
        int i = line.indexOf(" :: ");
        return i < 0 ? line.substring(0, line.indexOf(" = ")) : line.substring(0, i);
    }
}
