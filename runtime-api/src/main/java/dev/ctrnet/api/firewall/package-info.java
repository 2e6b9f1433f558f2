/**
 * The firewall plan: the desired state that a {@link dev.ctrnet.api.NatBackend} renders as rules.
 */
package dev.ctrnet.api.firewall;
