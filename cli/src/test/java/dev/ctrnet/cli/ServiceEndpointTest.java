package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which client makes a service step down: a newer build in the same namespaces, and no other. */
class ServiceEndpointTest {
    private static final String SERVICE = "net:[4026531840] mnt:[4026531841] build:1000";

    @Test
    void aNewerBuildInTheSameNamespacesIsNewer() {
        assertTrue(ServiceEndpoint.isNewerBuild("net:[4026531840] mnt:[4026531841] build:2000", SERVICE));
    }

    @Test
    void theSameOrAnOlderBuildIsNot() {
        assertFalse(ServiceEndpoint.isNewerBuild(SERVICE, SERVICE));
        assertFalse(ServiceEndpoint.isNewerBuild("net:[4026531840] mnt:[4026531841] build:999", SERVICE));
    }

    @Test
    void aNewerBuildInAnotherNamespaceIsNotOneToStepDownFor() {
        assertFalse(ServiceEndpoint.isNewerBuild("net:[4026532000] mnt:[4026531841] build:2000", SERVICE));
        assertFalse(ServiceEndpoint.isNewerBuild("net:[4026531840] mnt:[4026532001] build:2000", SERVICE));
    }

    @Test
    void aBuildThatCouldNotBeReadIsNotNewer() {
        assertFalse(ServiceEndpoint.isNewerBuild("net:[4026531840] mnt:[4026531841] build:?", SERVICE));
        assertFalse(ServiceEndpoint.isNewerBuild("garbage", SERVICE));
    }
}
