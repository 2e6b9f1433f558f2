package dev.ctrnet.core.container;

import dev.ctrnet.core.kernel.KernelThread;
import dev.ctrnet.core.kernel.NativeNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Sandboxes} as the kernel does them: bind-mounted namespaces, and signals to the container's process. */
public final class NativeSandboxes implements Sandboxes {
    private static final Logger LOG = LoggerFactory.getLogger(NativeSandboxes.class);

    private final NativeNamespaces namespaces;

    /** Namespaces made and removed through {@code namespaces}. */
    public NativeSandboxes(NativeNamespaces namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public KernelThread<Path> startUts(Path path, String hostname) {
        return namespaces.startUts(path, hostname);
    }

    @Override
    public void linksMade() {
        namespaces.linksMade();
    }

    @Override
    public void removeNamespaceFile(Path path) {
        namespaces.unmountAndRemove(path);
    }

    @Override
    public void terminate(ContainerRecord record, int timeoutSeconds) {
        Optional<ProcessHandle> handle = ProcessHandle.of(record.pid());
        if (handle.isEmpty()) {
            return;
        }
        if (timeoutSeconds > 0) {
            handle.get().destroy();
            if (ProcessTable.awaitEnd(handle.get(), record.pidStartTime(), Duration.ofSeconds(timeoutSeconds))) {
                return;
            }
            LOG.debug("{} did not stop on SIGTERM within {}s", record.name(), timeoutSeconds);
        }
        handle.get().destroyForcibly();
        if (!ProcessTable.awaitEnd(handle.get(), record.pidStartTime(), Duration.ofSeconds(5))) {
            LOG.debug("{} did not end within 5s of SIGKILL", record.name());
        }
    }
}
