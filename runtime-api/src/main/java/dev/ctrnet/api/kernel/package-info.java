/**
 * The kernel primitives a driver or backend is handed: links, addresses and routes over rtnetlink
 * ({@link dev.ctrnet.api.kernel.Netlink}), network namespaces ({@link dev.ctrnet.api.kernel.Namespaces})
 * and per-namespace sysctls ({@link dev.ctrnet.api.kernel.Sysctl}). They are implemented natively by
 * the runtime; a plugin never runs {@code ip} or opens netlink sockets itself.
 *
 * <p>Every change made through a primitive during a driver call is recorded by the runtime with its
 * inverse before it is sent to the kernel: if the call fails, the runtime undoes what was done.
 */
package dev.ctrnet.api.kernel;
