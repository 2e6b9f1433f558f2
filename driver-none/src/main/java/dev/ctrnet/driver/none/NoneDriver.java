package dev.ctrnet.driver.none;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.kernel.Kernel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --network none}: the container has its own network namespace with only loopback, which the
 * runtime brings up for every namespace it makes. Nothing else to do.
 */
public final class NoneDriver implements NetworkDriver {
    @Override
    public String name() {
        return "none";
    }

    /** {@code --network none}, which exists without being created. */
    @Override
    public List<NetworkSpec> builtInNetworks(String scope) {
        return List.of(new NetworkSpec("none", name(), Optional.empty(), Optional.empty(), false, Map.of()));
    }

    @Override
    public boolean usesAddresses() {
        return false;
    }

    @Override
    public Network validate(Network requested) {
        if (!requested.options().isEmpty()) {
            throw new IllegalArgumentException("the none driver takes no options");
        }
        return requested;
    }

    @Override
    public void create(Network network, Kernel kernel) {
        // nothing on the host side
    }

    @Override
    public void delete(Network network, Kernel kernel) {
        // nothing on the host side
    }

    @Override
    public Attachment attach(Network network, Endpoint endpoint, Kernel kernel) {
        return Attachment.none();
    }

    @Override
    public void detach(Network network, Endpoint endpoint, Attachment attachment, Kernel kernel, boolean sandboxGoing) {
        // loopback goes with the namespace
    }
}
