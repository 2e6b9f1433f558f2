package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.core.kernel.ProcessPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's service, through the real {@code bin/ctrnet}: started once however many clients race, not
 * idle while it runs a command or owes the removal of a detached {@code --rm} container, Ctrl-C of a
 * foreground container through it, a kill -9 in the middle of {@code run} (or of a detached {@code --rm}
 * container's life) repaired by {@code system prune}, the service and {@code --no-daemon} on one root, and the
 * network namespaces the service makes ahead: its descriptors only, none left by a kill -9, none made in-process;
 * a service stepping down for a client of a newer build; and requests {@code bin/ctrnet} sends ahead of its JVM.
 */
@Privileged
class ServiceIT {
    @BeforeAll
    static void host() {
        TestHost.ensure();
    }

    @Test
    void clientsRacingToStartTheServiceStartExactlyOne() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-race"));
        List<CompletableFuture<Shell.Result>> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(CompletableFuture.supplyAsync(() -> ctrnet.run("ps")));
        }
        for (CompletableFuture<Shell.Result> c : clients) {
            assertTrue(c.get().ok().out().startsWith("ID "), "each client got ps's answer");
        }
        assertEquals(1, services(ctrnet).size(), "one service for the root");
        String status = ctrnet.ok("service", "status");
        assertTrue(status.startsWith("running: pid " + services(ctrnet).get(0).pid() + ","), status);
        // its lines are named pipes only root can open, in folders only root can enter
        Path folder = ctrnet.root().resolve("run/service");
        Path instance = instance(ctrnet);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(instance)));
        // the line of the command that just ended goes once its client has been answered
        assertTrue(Eventually.holds(() -> pipes(instance).size() == 2 * ServiceDoor.READY_LINES), pipes(instance).toString());
        List<Path> pipes = pipes(instance);
        for (Path pipe : pipes) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pipe)), pipe.toString());
        }
        // what bin/ctrnet checks before it sends a request itself: the jar the service runs, and that jar's time
        Path jar = Ctrnet.REPO.resolve("cli/target/ctrnet-cli.jar").toAbsolutePath().normalize();
        assertEquals(jar, Files.readSymbolicLink(instance.resolve(ServiceDoor.JAR)));
        assertEquals(Files.getLastModifiedTime(jar), Files.getLastModifiedTime(instance.resolve(ServiceDoor.BUILD)));
        stop(ctrnet);
        assertFalse(Files.exists(instance), "the service removed its folder as it exited");
    }

    @Test
    void aNewServiceWarmsItselfUpAndThatChangesNothing() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-warm-up"));
        // the kernel removes the veth of a container another test removed a moment ago in its own time
        assertTrue(Eventually.holds(() -> veths() == 0), "a veth is left from the tests before");
        HostSnapshot kernelBefore = HostSnapshot.of(ctrnet.root()).kernel();
        List<String> scratchBefore = dryRunScratch();
        ctrnet.ok("ps");
        Path temporary = instance(ctrnet).resolve(ServiceDoor.TEMPORARY);
        // its dry runs copy the records into the service's own temporary folder, not the machine's /tmp
        assertTrue(appears(temporary), "no dry run's copy of the records was seen in " + temporary);
        assertTrue(warmsUp(ctrnet), ctrnet.ok("service", "status"));
        HostSnapshot warm = HostSnapshot.of(ctrnet.root());
        // a dry run takes the state lock as every command does: its empty file is all it leaves under the root
        assertEquals(List.of("", "lock", "run", "run/service"), List.copyOf(warm.files().keySet()));
        assertEquals(0L, Files.size(ctrnet.root().resolve("lock")));
        assertEquals("", warm.kernel().differencesFrom(kernelBefore), "the kernel changed");
        assertEquals(List.of(), StateFiles.list(temporary), "the dry runs' copies were removed");
        // a service killed in the middle of a dry run leaves its copy in its folder, which the next service removes
        stop(ctrnet);
        ctrnet.ok("ps");
        Path killed = instance(ctrnet);
        assertTrue(appears(killed.resolve(ServiceDoor.TEMPORARY)), "no dry run was seen in the second service");
        services(ctrnet).get(0).destroyForcibly();
        assertTrue(Eventually.holds(() -> services(ctrnet).isEmpty()), "the service was killed");
        ctrnet.ok("ps");
        assertFalse(Files.exists(killed), "the next service removed the killed one's folder");
        assertEquals(scratchBefore, dryRunScratch(), "a dry run's copy of the records was made in the machine's /tmp");
        stop(ctrnet);
    }

    /**
     * Whether the service says it has warmed up within two minutes. It warms up only while no client's command has
     * run for a tenth of a second, and asking is a command: it is asked twice a second.
     */
    private static boolean warmsUp(Ctrnet ctrnet) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (ctrnet.ok("service", "status").strip().endsWith(", warmed up")) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /**
     * Whether something appears in {@code folder} within two minutes, looked for every millisecond: a dry run's copy of
     * the records lives for milliseconds, and asking the service (a command) would hold its warm-up back.
     */
    private static boolean appears(Path folder) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!StateFiles.list(folder).isEmpty()) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }

    /** The scratch folders of dry runs in the machine's temporary folder. */
    private static List<String> dryRunScratch() {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ctrnet-dry-run-")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> pipes(Path instance) {
        try {
            return StateFiles.list(instance).stream().filter(p -> p.toString().endsWith(".request")
                    || p.toString().endsWith(".reply")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void linesClaimedByAClientThatDiedBeforeOpeningThemAreReapedAndTheServiceServesOn() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-abandoned"));
        ctrnet.ok("ps");
        Path instance = instance(ctrnet);
        // what clients killed between claiming a line and opening it leave: every ready line claimed
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        for (Path token : StateFiles.list(instance.resolve("ready"))) {
            Files.writeString(instance.resolve("claimed").resolve(token.getFileName()), Long.toString(gone.pid()));
        }
        assertTrue(ctrnet.run("ps").ok().out().startsWith("ID "), "the next client is served");
        assertTrue(Eventually.holds(() -> instance.resolve("claimed").toFile().list().length == 0), "the claims were reaped");
        assertEquals(ServiceDoor.READY_LINES, StateFiles.list(instance.resolve("ready")).size(), "lines were made anew");
        // nothing is owed to the dead clients: the service stops
        stop(ctrnet);
    }

    @Test
    void theLauncherSendsTheRequestAheadWithEveryWordIntactAndACommandRunsOnceWhateverItsService() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-ahead"));
        ctrnet.ok("ps"); // no service yet: the client's JVM starts one and sends the request
        // status counts itself, and is never sent ahead: it concerns the service itself
        assertTrue(ctrnet.ok("service", "status").contains("commands served 2 (0 sent ahead by bin/ctrnet)"));
        // words the shell's printf must not read as its own: formats, escapes, an empty word, an option
        List<String> words = List.of("", "a b", "%s%d%%", "back\\slash", "\\x41\\0", "new\nline", "'\"", "-e", "--");
        List<String> run = new ArrayList<>(List.of("run", "--rm", "--network", "none", "--", "sh", "-c",
                "printf '[%s]' \"$@\"", "sh"));
        run.addAll(words);
        assertEquals(String.join("", words.stream().map(w -> "[" + w + "]").toList()), ctrnet.ok(run.toArray(String[]::new)));
        assertTrue(ctrnet.ok("service", "status").contains("commands served 4 (1 sent ahead by bin/ctrnet)"),
                "bin/ctrnet sent it ahead");
        // a word that is not ASCII is left to the JVM, which sends it in UTF-8
        assertEquals("é\n", ctrnet.ok("run", "--rm", "--network", "none", "--", "echo", "é"));
        assertTrue(ctrnet.ok("service", "status").contains("commands served 6 (1 sent ahead by bin/ctrnet)"));
        // its output a socket (socat's EXEC): the shell sends the request, and a JVM relays the answer
        assertTrue(Shell.run(List.of("socat", "-", "EXEC:" + String.join(" ", ctrnet.command("ps")))).ok().out()
                .startsWith("ID "));
        assertTrue(ctrnet.ok("service", "status").contains("commands served 8 (2 sent ahead by bin/ctrnet)"));
        // a client with another PATH is declined (its command runs in its own process) once its JVM holds the answer
        assertTrue(ctrnet.runWith(Map.of("PATH", "/sbin:" + System.getenv("PATH")), "ps").ok().out().startsWith("ID "));
        assertTrue(ctrnet.ok("service", "status").contains("commands served 9 (2 sent ahead by bin/ctrnet)"));
        // a shell in a PID namespace of its own: its $$ names another process here, and the JVM client is served instead
        List<String> inOwnPidNamespace = new ArrayList<>(List.of("unshare", "--pid", "--fork"));
        inOwnPidNamespace.addAll(ctrnet.command("ps"));
        assertTrue(Shell.run(inOwnPidNamespace).ok().out().startsWith("ID "));
        assertTrue(ctrnet.ok("service", "status").contains("commands served 11 (2 sent ahead by bin/ctrnet)"));

        // killed, the service leaves its folder behind, and bin/ctrnet sends there: the JVM finds the request unread,
        // starts a new service and sends it again, and the container is made once
        ProcessHandle killed = services(ctrnet).get(0);
        killed.destroyForcibly();
        assertTrue(endsWithin(killed, 30));
        ctrnet.ok("run", "-d", "--name", "once", "--network", "none", "--", "sleep", "600");
        assertEquals(List.of("once"), Json.array(ctrnet.ok("ps", "-a", "--format", "json")).stream()
                .map(c -> c.get("name")).toList());
        assertTrue(ctrnet.ok("service", "status").contains("commands served 3 (1 sent ahead by bin/ctrnet)"),
                "the new service ran run, then ps sent ahead");
        ctrnet.ok("rm", "-f", "once");
        stop(ctrnet);
    }

    @Test
    void aCommandWhoseClientWasKilledWhilePrintingEndsAndTheServiceCanStop() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-drain"));
        ctrnet.ok("run", "-d", "--name", "loud", "--network", "none", "--", "sh", "-c",
                "head -c 4000000 /dev/zero | tr '\\0' x");
        assertTrue(Eventually.holds(() -> "exited".equals(ctrnet.inspect("loud").get("state"))), "the log is written");
        // a client that stops reading (its output is a pipe nobody reads), and is then killed
        Process logs = new ProcessBuilder(ctrnet.command("logs", "loud")).start();
        assertTrue(Eventually.holds(() -> available(logs) > 0), "logs began to print");
        logs.destroyForcibly().waitFor();
        ctrnet.ok("rm", "loud");
        // the logs command's answer went nowhere: it must still have ended, or the service would never stop
        stop(ctrnet);
    }

    @Test
    void aServiceStepsDownForAClientOfANewerBuildAndNotForAnOlderOne() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-upgrade"));
        ctrnet.ok("ps");
        List<ProcessHandle> older = services(ctrnet);
        assertEquals(1, older.size());
        Path newer = newerBuild();
        try {
            List<String> newerPs = List.of(newer.resolve("bin/ctrnet").toString(), "--root", ctrnet.root().toString(), "ps");
            // the older build's service declines it (the command runs in its own process) and steps down
            assertTrue(Shell.run(newerPs, 120).ok().out().startsWith("ID "));
            // a service may write its class-data archive as it exits, which takes seconds: as long as the siblings allow
            assertTrue(endsWithin(older.get(0), 60), "the older build's service stepped down");
            // so the newer build's next command starts a service of its own build
            assertTrue(Shell.run(newerPs, 120).ok().out().startsWith("ID "));
            List<ProcessHandle> current = services(ctrnet);
            assertEquals(1, current.size(), "one service for the root");
            assertTrue(current.get(0).info().arguments().map(List::of).orElse(List.of()).stream()
                    .anyMatch(a -> a.startsWith(newer.toString())), "the service runs the newer build");
            // an older client is declined too (its command runs in-process), but does not make the newer service go
            assertTrue(ctrnet.run("ps").ok().out().startsWith("ID "));
            Shell.Result olderStatus = ctrnet.run("service", "status");
            assertEquals(ServiceCommand.NOT_RUNNING, olderStatus.exit());
            assertTrue(olderStatus.out().startsWith("not running (a service of another build or namespace runs on this"
                    + " root"), olderStatus.out());
            List<String> status = List.of(newer.resolve("bin/ctrnet").toString(), "--root", ctrnet.root().toString(),
                    "service", "status");
            assertTrue(Shell.run(status, 120).ok().out().startsWith("running: pid " + current.get(0).pid() + ","),
                    "the newer build's service still serves");
            Shell.run(List.of(newer.resolve("bin/ctrnet").toString(), "--root", ctrnet.root().toString(), "service",
                    "stop"), 120).ok();
            assertTrue(endsWithin(current.get(0), 60), "the service stopped");
        } finally {
            StateFiles.deleteTree(newer);
        }
    }

    /**
     * ctrnet as a rebuild leaves it: a copy whose CLI jar is a millisecond newer (the build is told by the jar's
     * time; a time in the future would make every launch remake the copy's archive).
     */
    private static Path newerBuild() throws IOException {
        Path copy = Ctrnet.copyOfInstallation();
        Path jar = copy.resolve("cli/target/ctrnet-cli.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(jar).toMillis() + 1));
        return copy;
    }

    private static int available(Process process) {
        try {
            return process.getInputStream().available();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path instance(Ctrnet ctrnet) throws IOException {
        Path current = ctrnet.root().resolve("run/service/current");
        return current.resolveSibling(Files.readSymbolicLink(current));
    }

    @Test
    void theServiceIsNotIdleWhileItRunsACommandAndExitsWhenIdle() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-idle"));
        Map<String, String> env = Map.of("CTRNET_SERVICE_IDLE", "1");
        // the service takes its idle time from the client that starts it: this one, before any other
        ctrnet.runWith(env, "ps").ok();
        Process run = start(ctrnet, env, "run", "--rm", "--name", "long", "--network", "none", "--", "sleep", "60");
        assertTrue(Eventually.holds(() -> ctrnet.run("ps").out().contains(" long ")), "the container runs");
        ProcessHandle service = services(ctrnet).get(0);
        // longer than the idle time, on purpose: the service must still be there because a command runs
        Thread.sleep(2500);
        assertTrue(service.isAlive(), "the service stayed while the foreground run went on");
        Shell.run(List.of("kill", "-INT", Long.toString(run.pid()))).ok();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the client ended after Ctrl-C");
        // the first service of a build writes its class-data archive as it exits, which takes seconds
        assertTrue(endsWithin(service, 60), "the service exited once idle");
        assertEquals("not running", ctrnet.run("service", "status").out().strip());
    }

    @Test
    void theServiceRemovesADetachedRmContainerAndIsNotIdleUntilThen() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-detached-rm"));
        Map<String, String> env = Map.of("CTRNET_SERVICE_IDLE", "1");
        ctrnet.runWith(env, "ps").ok();
        // it runs until the test ends it, not for a fixed time that a busy machine could use up before the checks
        ctrnet.runWith(env, "run", "-d", "--rm", "--name", "owed", "--network", "none", "--", "sleep", "600").ok();
        assertTrue(ctrnet.ok("service", "status").contains("--rm containers to remove 1"), "the service owes its removal");
        ProcessHandle service = services(ctrnet).get(0);
        long pid = ((Number) ctrnet.inspect("owed").get("pid")).longValue();
        // longer than the idle time, on purpose, with no command meanwhile: the container alone keeps it
        Thread.sleep(2500);
        assertTrue(ctrnet.ok("--no-daemon", "ps").contains(" owed "), "the container still runs");
        assertTrue(service.isAlive(), "the service stayed while the --rm container ran");
        Shell.run(List.of("kill", "-KILL", Long.toString(pid))).ok();
        assertTrue(Eventually.holds(() -> !ctrnet.ok("--no-daemon", "ps", "-a").contains(" owed ")),
                "the service removed the container soon after it ended");
        assertEquals(List.of(), StateFiles.list(ctrnet.root().resolve("run/netns")), "no namespace is left");
        assertTrue(endsWithin(service, 60), "the service exited once idle");
    }

    @Test
    void theServiceIsTheMonitorOfTheDetachedContainersItStarts() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-monitor"));
        Map<String, String> env = Map.of("CTRNET_SERVICE_IDLE", "1");
        // it runs until the test ends it (the signal it traps, as PID 1 must), not for a fixed time
        ctrnet.runWith(env, "run", "-d", "--name", "watched", "--network", "none", "--", "sh", "-c",
                "trap 'exit 6' TERM; sleep 600 & wait").ok();
        ProcessHandle service = services(ctrnet).get(0);
        long pid = ((Number) ctrnet.inspect("watched").get("pid")).longValue();
        assertEquals(Optional.of(service.pid()), ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid),
                "the container's command is the service's child: no monitor process runs beside it");
        assertTrue(ctrnet.ok("service", "status").contains("containers monitored 1"));
        // longer than the idle time, on purpose, with no command meanwhile: the container alone keeps it
        Thread.sleep(2500);
        assertTrue(service.isAlive(), "the service stayed while it monitored the container");
        // sent until it ends: on a busy machine the shell may not have set its trap yet when the first one comes
        assertTrue(Eventually.holds(() -> Shell.run(List.of("kill", "-TERM", Long.toString(pid))).exit() >= 0
                && "exited".equals(ctrnet.inspect("watched").get("state"))), "the command ended");
        assertEquals(6, ((Number) ctrnet.inspect("watched").get("exitCode")).intValue(), "the service recorded its status");
        ctrnet.ok("rm", "watched");
        assertTrue(endsWithin(service, 60), "the service exited once idle");
    }

    @Test
    void aDetachedRmContainerRunInProcessRemovesItselfWithoutAService() {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-none-rm"));
        ctrnet.ok("--no-daemon", "run", "-d", "--rm", "--name", "alone", "--network", "none", "--", "sleep", "0.3");
        assertTrue(Eventually.holds(() -> !ctrnet.ok("--no-daemon", "ps", "-a").contains(" alone ")),
                "the container removed itself");
        assertEquals(List.of(), services(ctrnet), "no service runs for the root");
        assertFalse(Files.exists(ctrnet.root().resolve("run/service")), "no service was ever started for the root");
    }

    @Test
    void aDetachedRmContainerOfAServiceKilledWithKill9IsLeftToPrune() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-kill-rm"));
        // it ends when the test ends it, once the service is dead: a fixed time could run out before the kill
        ctrnet.ok("run", "-d", "--rm", "--name", "orphan", "--network", "none", "--", "sleep", "600");
        long pid = ((Number) ctrnet.inspect("orphan").get("pid")).longValue();
        ProcessHandle service = services(ctrnet).get(0);
        service.destroyForcibly();
        assertTrue(endsWithin(service, 30), "the service died");
        Shell.run(List.of("kill", "-KILL", Long.toString(pid))).ok();
        assertTrue(Eventually.holds(() -> !ctrnet.ok("--no-daemon", "ps").contains(" orphan ")), "the container ended");
        assertTrue(ctrnet.ok("--no-daemon", "ps", "-a").contains(" orphan "), "no one removed it");
        String pruned = ctrnet.ok("--no-daemon", "system", "prune");
        assertTrue(pruned.contains("removed exited --rm container orphan"), pruned);
        assertFalse(ctrnet.ok("--no-daemon", "ps", "-a").contains(" orphan "), "prune removed it");
        assertEquals(List.of(), StateFiles.list(ctrnet.root().resolve("run/netns")), "no namespace is left");
    }

    @Test
    void ctrlCStopsAndRemovesAForegroundContainerRunThroughTheService() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-ctrlc"));
        Process run = start(ctrnet, Map.of(), "run", "--rm", "--name", "fg", "--", "sleep", "60");
        assertTrue(Eventually.holds(() -> ctrnet.run("ps").out().contains(" fg ")), "the container runs");
        Shell.run(List.of("kill", "-INT", Long.toString(run.pid()))).ok();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the client ended after Ctrl-C");
        assertFalse(ctrnet.ok("ps", "-a").contains(" fg "), "the --rm container is gone");
        assertEquals(List.of(), StateFiles.list(ctrnet.root().resolve("run/netns")), "no namespace is left");
        assertTrue(Eventually.holds(() -> !Shell.run(List.of("ip", "-o", "link")).ok().out().contains(" ve-")),
                "no veth is left");
        stop(ctrnet);
    }

    @Test
    void aForegroundContainerWritesToTheClientsStreamsAndItsStatusComesBack() {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-stdio"));
        Shell.Result r = ctrnet.run("run", "--rm", "--network", "none", "--", "sh", "-c", "echo out; echo err >&2; exit 7");
        assertEquals(7, r.exit());
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
        assertEquals(1, services(ctrnet).size(), "it ran through the service");
        stop(ctrnet);
    }

    @Test
    void aForegroundContainerThatKillsItsProcessGroupReachesNeitherTheServiceNorOtherContainers() {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-pgrp"));
        ctrnet.ok("run", "-d", "--name", "bystander", "--network", "none", "--", "sleep", "1000");
        long service = services(ctrnet).get(0).pid();
        // kill(0) signals the caller's process group: the container's own, not the service's
        ctrnet.run("run", "--rm", "--network", "none", "--", "sh", "-c", "kill -9 0");
        assertEquals(List.of(service), services(ctrnet).stream().map(ProcessHandle::pid).toList(), "the service lives on");
        assertEquals("running", ctrnet.inspect("bystander").get("state"), "the other container runs on");
        ctrnet.ok("rm", "-f", "bystander");
        stop(ctrnet);
    }

    @Test
    void aForegroundContainerWithARootfsRunsThroughTheServiceWhateverItsStreams() throws IOException {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-rootfs"));
        Path root = BusyboxRoot.make(Path.of("/run/ctrnet-test/service-rootfs-fs"));
        String run = String.join(" ", ctrnet.command("run", "--rm", "--network", "none", "--rootfs", root.toString(),
                "--", "sh", "-c", "'exit 3'"));
        for (String streams : List.of("", "</dev/null >/dev/null", "</dev/null 2>/dev/null")) {
            Shell.Result r = Shell.sh(run + " " + streams);
            assertEquals(3, r.exit(), "with " + streams + ": " + r.err());
        }
        // and on a terminal of its own (util-linux's script gives the client one)
        Shell.Result onTerminal = Shell.run(List.of("script", "-qec", run, "/dev/null"));
        assertEquals(3, onTerminal.exit(), "on a terminal: " + onTerminal.out() + onTerminal.err());
        assertEquals(1, services(ctrnet).size(), "it ran through the service");
        stop(ctrnet);
    }

    @Test
    void aDetachedContainerWhoseRootCannotBePreparedLeavesNothing() throws IOException {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-bad-root"));
        Path root = BusyboxRoot.make(Path.of("/run/ctrnet-test/service-bad-root-fs"));
        StateFiles.deleteTree(root.resolve("proc"));
        Files.writeString(root.resolve("proc"), "a file where a folder must be\n");
        Shell.Result refused = ctrnet.run("run", "-d", "--name", "badroot", "--rootfs", root.toString(), "--", "sh");
        assertNotEquals(0, refused.exit());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertFalse(ctrnet.ok("ps", "-a").contains("badroot"), "no record is left");
        stop(ctrnet);
    }

    @Test
    void outputToAFileLandsInOrderWithWhatTheShellWritesAroundIt() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-file"));
        String cli = String.join(" ", ctrnet.command());
        Path out = Files.createTempFile("ctrnet-service-out", ".txt");
        ctrnet.ok("run", "-d", "--name", "target", "--network", "none", "--", "sleep", "600");
        Shell.run(List.of("sh", "-c", "{ echo before; " + cli + " run --rm --network none -- echo from-run; " + cli
                + " exec target echo from-exec; echo after; } > " + out)).ok();
        assertEquals("before\nfrom-run\nfrom-exec\nafter\n", Files.readString(out));
        assertEquals(1, services(ctrnet).size(), "it ran through the service");
        ctrnet.ok("rm", "-f", "target");
        stop(ctrnet);
    }

    @Test
    void aServiceKilledInTheMiddleOfRunLeavesNothingAfterPrune() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-kill"));
        // an nft that hangs while a flag file exists: the service is killed while run waits for it
        Path stubs = Files.createTempDirectory("ctrnet-stub-nft");
        Path flag = stubs.resolve("hang");
        Path stub = stubs.resolve("nft");
        Files.writeString(stub, "#!/bin/sh\nif [ -e " + flag + " ]; then echo $$ > " + flag + ".pid; exec sleep 600; fi\n"
                + "exec " + ProcessPrograms.locate("nft").orElseThrow() + " \"$@\"\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("PATH", stubs + ":" + System.getenv("PATH"), "CTRNET_NAT", "nftables",
                "CTRNET_LIBNFTABLES", "off");
        ctrnet.runWith(env, "run", "-d", "--name", "a", "-p", "18080:80", "--", "sleep", "600").ok();
        Files.createFile(flag);
        Process b = start(ctrnet, env, "run", "-d", "--name", "b", "-p", "18081:80", "--", "sleep", "600");
        Path hung = Path.of(flag + ".pid");
        assertTrue(Eventually.holds(() -> Files.exists(hung)), "run reached the firewall");
        ProcessHandle service = services(ctrnet).get(0);
        service.destroyForcibly();
        assertTrue(b.waitFor(30, TimeUnit.SECONDS), "the client ended with the service");
        String err = new String(b.getErrorStream().readAllBytes());
        assertNotEquals(0, b.exitValue());
        assertTrue(err.startsWith("ctrnet: ") && err.strip().lines().count() == 1, err);
        Shell.run(List.of("kill", "-9", Files.readString(hung).strip()));
        Files.delete(flag);

        ctrnet.runWith(env, "system", "prune").ok();
        assertEquals(1, StateFiles.list(ctrnet.root().resolve("run/netns")).size(), "only a's namespace is left");
        assertEquals(1, StateFiles.list(ctrnet.root().resolve("containers")).size(), "only a's record is left");
        assertTrue(Eventually.holds(() -> veths() == 1), "only a's veth is left");
        assertFalse(Shell.run(List.of("nft", "list", "ruleset")).ok().out().contains("18081"), "b's port is gone");
        // the name, the address and the port are free again
        ctrnet.runWith(env, "run", "-d", "--name", "b", "-p", "18081:80", "--", "sleep", "600").ok();
        ctrnet.runWith(env, "rm", "-f", "a", "b").ok();
        assertTrue(Eventually.holds(() -> veths() == 0), "no veth is left");
        ctrnet.runWith(env, "service", "stop").ok();
    }

    @Test
    void theNamespacesTheServiceMakesAheadAreOnlyItsDescriptorsAndAKill9LeavesNoneOfThem() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-ahead"));
        List<String> names = List.of("ahead0", "ahead1", "ahead2");
        for (String name : names) {
            ctrnet.ok("run", "-d", "--name", name, "--", "sleep", "600");
        }
        ProcessHandle service = services(ctrnet).get(0);
        // after its second container the service keeps new namespaces ready, which it holds by descriptors alone
        assertTrue(Eventually.holds(() -> NamespaceHolders.othersHeldBy(service.pid()).size() >= 2),
                "namespaces are made ahead: " + NamespaceHolders.othersHeldBy(service.pid()));
        Set<String> ahead = NamespaceHolders.othersHeldBy(service.pid());
        Set<String> taken = new HashSet<>();
        for (String name : names) {
            Map<String, Object> container = ctrnet.inspect(name);
            taken.add(NamespaceHolders.keptBy(Path.of((String) container.get("netns"))));
            Set<String> heldByContainer = new HashSet<>(NamespaceHolders.descriptorsOf(((Number) container.get("pid")).longValue()));
            heldByContainer.retainAll(ahead);
            assertEquals(Set.of(), heldByContainer, name + "'s process inherited none of them");
        }
        assertEquals(names.size(), taken.size(), "each container has a namespace of its own: " + taken);
        taken.retainAll(ahead);
        assertEquals(Set.of(), taken, "the namespaces ready are no container's");

        service.destroyForcibly();
        assertTrue(endsWithin(service, 30), "the service died");
        assertEquals(Map.of(), NamespaceHolders.stillHeld(ahead), "no process and no mount holds them: the kernel frees them");
        assertEquals(names.size(), StateFiles.list(ctrnet.root().resolve("run/netns")).size(), "the containers' are kept");
        ctrnet.ok(Stream.concat(Stream.of("rm", "-f"), names.stream()).toArray(String[]::new));
        stop(ctrnet);
    }

    @Test
    void aCommandRunInProcessMakesNoNamespaceAhead() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-none-ahead"));
        Process run = start(ctrnet, Map.of(), "--no-daemon", "run", "--rm", "--name", "fg", "--", "sleep", "600");
        assertTrue(Eventually.holds(() -> ctrnet.ok("--no-daemon", "ps").contains(" fg ")), "the container runs");
        String own = NamespaceHolders.keptBy(Path.of((String) Json.object(ctrnet.ok("--no-daemon", "inspect", "fg")).get("netns")));
        Set<String> held = NamespaceHolders.othersHeldBy(run.pid());
        held.remove(own);
        assertEquals(Set.of(), held, "the command's process holds no namespace but its container's");
        ctrnet.ok("--no-daemon", "rm", "-f", "fg");
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the command ended with its container");
        assertEquals(List.of(), services(ctrnet), "no service ran");
    }

    @Test
    void theServiceAndInProcessCommandsWorkOnOneRootAtOnce() throws Exception {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/service-mixed"));
        List<CompletableFuture<Shell.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<String> args = new ArrayList<>(i % 2 == 0 ? List.of("--no-daemon") : List.of());
            args.addAll(List.of("run", "-d", "--name", "m" + i, "--", "sleep", "600"));
            runs.add(CompletableFuture.supplyAsync(() -> ctrnet.run(args.toArray(String[]::new))));
        }
        for (CompletableFuture<Shell.Result> r : runs) {
            r.get().ok();
        }
        Set<Object> addresses = new HashSet<>();
        for (Map<String, Object> c : Json.array(ctrnet.ok("--no-daemon", "ps", "--format", "json"))) {
            addresses.add(c.get("ip"));
        }
        assertEquals(6, addresses.size(), "six containers, six addresses: " + addresses);
        assertEquals(6, Json.array(ctrnet.ok("ps", "--format", "json")).size(), "the service sees them all");
        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        for (int i = 0; i < 6; i++) {
            rm.add("m" + i);
        }
        ctrnet.ok(rm.toArray(String[]::new));
        stop(ctrnet);
    }

    /**
     * The service processes of {@code ctrnet}'s state root in this test's sandbox: other sandboxes on the
     * machine may run the same tests, with the same root paths, in the same PID namespace.
     */
    private static List<ProcessHandle> services(Ctrnet ctrnet) {
        Optional<Path> ours = NamespaceHolders.mountNamespace(ProcessHandle.current().pid());
        return ProcessHandle.allProcesses().filter(p -> {
            List<String> args = p.info().arguments().map(List::of).orElse(List.of());
            return args.contains("serve") && args.contains(ctrnet.root().toString())
                    && NamespaceHolders.mountNamespace(p.pid()).equals(ours);
        }).toList();
    }

    private static void stop(Ctrnet ctrnet) {
        List<ProcessHandle> running = services(ctrnet);
        ctrnet.ok("service", "stop");
        assertTrue(Eventually.holds(() -> running.stream().noneMatch(ProcessHandle::isAlive)), "the service stopped");
    }

    private static int veths() {
        return (int) Shell.run(List.of("ip", "-o", "link")).ok().out().lines().filter(l -> l.contains(" ve-")).count();
    }

    /** Whether {@code process} ends within {@code seconds}, or has ended already. */
    private static boolean endsWithin(ProcessHandle process, int seconds) {
        return process.onExit().completeOnTimeout(null, seconds, TimeUnit.SECONDS).join() != null || !process.isAlive();
    }

    /**
     * Starts a client as from a terminal, with SIGINT and SIGTERM at their defaults: a harness started in the
     * background of a shell without job control has SIGINT ignored, which its children inherit and the JVM then
     * keeps ignoring (as any program does), so Ctrl-C could not be tested there.
     */
    private static Process start(Ctrnet ctrnet, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM"));
        command.addAll(ctrnet.command(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        return pb.start();
    }
}
