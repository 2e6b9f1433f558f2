package dev.ctrnet.cli;

import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.state.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the build runs, under {@code -XX:ArchiveClassesAtExit}, to make the class-data archives that
 * {@code bin/ctrnet} maps: each JVM then finds the classes of every command already parsed and laid
 * out, whichever command runs first. It changes nothing outside a temporary folder: no change to the
 * kernel, no state root but a temporary one.
 *
 * <ul>
 *   <li>{@code client}: the thin client's paths, {@code ps} through a line whose "service" is a pair of
 *       plain files, the answer written in advance, the same answer to a request {@code bin/ctrnet} sent, and
 *       {@code --version}, which the client answers alone.
 *   <li>{@code runtime}: the in-process command and the service (one archive serves both): every
 *       command's model and help, the commands that only look (on a root of their own), and every class
 *       of ctrnet's own modules, loaded.
 * </ul>
 */
final class ClassDataTraining {
    private ClassDataTraining() {}

    public static void main(String[] args) throws IOException {
        switch (args.length == 1 ? args[0] : "") {
            case "client" -> client();
            case "runtime" -> runtime();
            default -> throw new IllegalArgumentException("usage: ClassDataTraining client|runtime");
        }
    }

    /** Runs the client as for {@code ps}, against a line of this process's own making; halts when done. */
    private static void client() throws IOException {
        long pid = ProcessHandle.current().pid();
        // not createTempDirectory: its random name would put the JDK's security providers in the archive
        Path root = Files.createDirectory(Path.of(System.getProperty("java.io.tmpdir"),
                "ctrnet-training-" + pid + "-" + System.nanoTime()));
        Path folder = ServiceEndpoint.folder(root);
        String name = ServiceEndpoint.instanceName(pid, ProcessTable.startTime(pid).orElseThrow());
        Path instance = folder.resolve(name);
        Files.createDirectories(instance.resolve(ServiceLine.READY));
        Files.createDirectories(instance.resolve(ServiceLine.CLAIMED));
        Files.createSymbolicLink(ServiceEndpoint.current(root), Path.of(name));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(answer);
        ServiceProtocol.writeString(out, ServiceProtocol.STDOUT, "ID\n");
        ServiceProtocol.writeString(out, ServiceProtocol.STDERR, "");
        ServiceProtocol.writeInt(out, ServiceProtocol.EXIT, 0);
        for (String id : List.of("1", "2")) {
            Files.createFile(instance.resolve(ServiceLine.READY).resolve(id));
            Files.createFile(ServiceLine.requestPipe(instance, id));
            Files.write(ServiceLine.replyPipe(instance, id), answer.toByteArray());
        }
        // line 2 as bin/ctrnet leaves it: claimed, and the request sent, on a descriptor the JVM names by a link
        ServiceLine.claim(instance, "2", pid);
        Path sent = Files.createSymbolicLink(root.resolve("sent"), ServiceLine.requestPipe(instance, "2"));
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            System.out.println(Version.text()); // as the client prints it, to the null stream set above
            Client.viaService(new String[] {"--root", root.toString(), "ps"});
            Client.converse(ServiceLine.sent(sent).orElseThrow(), Optional.empty());
        } finally {
            System.setOut(stdout);
            StateStore.deleteTree(root);
        }
    }

    private static void runtime() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        Path root = Files.createDirectory(Path.of(System.getProperty("java.io.tmpdir"),
                "ctrnet-training-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
        try {
            Main.execute(new String[] {"--help"}, Invocation.ofThisProcess());
            for (String command : Main.commandNames()) {
                Main.execute(new String[] {command, "--help"}, Invocation.ofThisProcess());
            }
            // commands that only look, on a root of their own: they change nothing in the kernel (StateRootIT
            // checks that), and load what every command loads (JNA, the records' JSON, the runtime's graph)
            for (List<String> command : List.of(List.of("ps", "-a"), List.of("ps", "--format", "json"),
                    List.of("network", "ls"), List.of("network", "inspect", "bridge"), List.of("drivers"),
                    List.of("inspect", "nothing-here"))) {
                List<String> args = new ArrayList<>(List.of("--root", root.toString()));
                args.addAll(command);
                Main.execute(args.toArray(String[]::new), Invocation.ofThisProcess());
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            StateStore.deleteTree(root);
        }
        ClassLoader loader = ClassDataTraining.class.getClassLoader();
        for (String className : ownClasses()) {
            try {
                Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // a class that cannot be loaded here is loaded (and fails) as usual when a command needs it
            }
        }
    }

    /** The classes of the cli jar and of ctrnet's modules beside it in {@code lib/}. */
    private static List<String> ownClasses() throws IOException {
        File cli = new File(ClassDataTraining.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<File> jars = new ArrayList<>(List.of(cli));
        File[] libs = new File(cli.getParentFile(), "lib").listFiles();
        for (File lib : libs == null ? new File[0] : libs) {
            if (isOwnModule(lib.getName())) {
                jars.add(lib);
            }
        }
        List<String> classes = new ArrayList<>();
        for (File jar : jars) {
            try (JarFile file = new JarFile(jar)) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements();) {
                    String entry = e.nextElement().getName();
                    if (entry.startsWith("dev/ctrnet/") && entry.endsWith(".class")) {
                        classes.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                    }
                }
            }
        }
        return classes;
    }

    private static boolean isOwnModule(String jar) {
        return jar.startsWith("runtime-") || jar.startsWith("driver-") || jar.startsWith("nat-");
    }
}
