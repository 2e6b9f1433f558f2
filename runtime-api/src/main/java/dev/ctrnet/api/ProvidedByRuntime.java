package dev.ctrnet.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface that the runtime implements and hands to plugins (the kernel primitives).
 * Plugins call it and must not implement it, so adding a method to it is a compatible change (a
 * {@link SpiVersion#MINOR} bump), unlike adding one to {@link NetworkDriver} or {@link NatBackend}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProvidedByRuntime {}
