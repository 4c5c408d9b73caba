package org.jamwire.link;

import java.util.Arrays;
import org.jamwire.audio.AudioProcessor;

/**
 * Lets an audio client open before its engine exists (the engine's format depends on the rate and
 * period the client reports): plays silence until the control thread installs the engine. Called
 * on the audio thread; one volatile read per period.
 */
final class ProcessorSlot implements AudioProcessor {

    private volatile AudioProcessor target;

    void install(AudioProcessor p) {
        target = p;
    }

    @Override
    public void process(float[][] inputs, float[][] outputs, int frames) {
        final AudioProcessor p = target;
        if (p != null) {
            p.process(inputs, outputs, frames);
            return;
        }
        for (float[] out : outputs) {
            Arrays.fill(out, 0, frames, 0f);
        }
    }
}
