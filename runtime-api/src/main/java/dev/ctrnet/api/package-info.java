/**
 * The ctrnet SPI: what a network driver or a NAT backend implements, and what it is handed.
 *
 * <p>A driver implements {@link dev.ctrnet.api.NetworkDriver}; a NAT/firewall backend implements
 * {@link dev.ctrnet.api.NatBackend}. Both are found with {@link java.util.ServiceLoader}, on the
 * classpath or in a plugin jar, and are given the kernel primitives of {@link dev.ctrnet.api.kernel}
 * instead of talking to the kernel themselves. Values crossing this boundary are immutable records
 * that validate on construction; absent values are {@link java.util.Optional} or empty collections,
 * never {@code null}.
 *
 * <p>Compatibility: see {@link dev.ctrnet.api.SpiVersion}.
 */
package dev.ctrnet.api;
