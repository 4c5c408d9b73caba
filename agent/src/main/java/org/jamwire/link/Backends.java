package org.jamwire.link;

import org.jamwire.audio.AudioBackend;
import org.jamwire.audio.builtin.BuiltinBackend;
import org.jamwire.audio.builtin.TestSignal;
import org.jamwire.jack.JackBackend;

/** Picks the audio backend a link config asks for. Called on the control thread. */
public final class Backends {

    private Backends() {
    }

    /** A new backend for {@code config}: JACK (on its named server, if any) or the built-in one. */
    public static AudioBackend forConfig(LinkConfig config) {
        if (config.backend() == LinkConfig.BackendKind.BUILTIN) {
            final LinkConfig.BuiltinSettings b = config.builtin();
            return new BuiltinBackend(b.sampleRate(), b.bufferSize(), b.clockRate(), TestSignal.parse(b.signal()));
        }
        return new JackBackend(config.jackServerName());
    }
}
