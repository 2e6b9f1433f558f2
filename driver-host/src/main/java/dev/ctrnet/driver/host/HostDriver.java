package dev.ctrnet.driver.host;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.kernel.Kernel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code --network host}: the container shares the host's network namespace; nothing is made. */
public final class HostDriver implements NetworkDriver {
    @Override
    public String name() {
        return "host";
    }

    /** {@code --network host}, which exists without being created. */
    @Override
    public List<NetworkSpec> builtInNetworks(String scope) {
        return List.of(new NetworkSpec("host", name(), Optional.empty(), Optional.empty(), false, Map.of()));
    }

    @Override
    public boolean usesAddresses() {
        return false;
    }

    @Override
    public boolean sharesHostNamespace() {
        return true;
    }

    @Override
    public Network validate(Network requested) {
        if (!requested.options().isEmpty()) {
            throw new IllegalArgumentException("the host driver takes no options");
        }
        return requested;
    }

    @Override
    public void create(Network network, Kernel kernel) {
        // the host's network is already there
    }

    @Override
    public void delete(Network network, Kernel kernel) {
        // nothing was made
    }

    @Override
    public Attachment attach(Network network, Endpoint endpoint, Kernel kernel) {
        return Attachment.none();
    }

    @Override
    public void detach(Network network, Endpoint endpoint, Attachment attachment, Kernel kernel, boolean sandboxGoing) {
        // nothing was made
    }
}
