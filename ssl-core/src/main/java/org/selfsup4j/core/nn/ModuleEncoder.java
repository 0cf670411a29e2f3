package org.selfsup4j.core.nn;

/** Adapts any {@link Module} to {@link Encoder}. */
final class ModuleEncoder extends ForwardingModule implements Encoder {

    ModuleEncoder(Module module) {
        super(module);
    }
}
