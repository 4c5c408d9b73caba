package org.jamwire.options;

import static org.jamwire.options.OptionTable.valued;

import java.util.List;
import org.jamwire.options.OptionSpec.Section;

/**
 * The options of {@code jamwire demo} and how they become a {@link Command.Demo}. Most are the
 * link's own options; the buffer size and rate get the built-in backend's defaults. Called on the
 * control thread.
 */
final class DemoOptions {

    static final int DEFAULT_SECONDS = 10;

    static final OptionSpec SECONDS = valued(Section.DEMO, "--seconds", "N",
            String.valueOf(DEFAULT_SECONDS), "0 to 86400",
            "How long the demo streams; 0 streams until Ctrl-C.",
            (v, g) -> v.seconds.set(g, g.whole(0, 86400)));

    static final OptionSpec BUFFER_SIZE = valued(Section.DEMO, "-z --buffersize", "FRAMES",
            String.valueOf(LinkDefaults.DEFAULT_BUILTIN_BUFFER), "1 to " + LinkDefaults.MAX_BUFFER,
            "Frames per period of both ends.",
            (v, g) -> v.bufferSize.set(g, g.whole(1, LinkDefaults.MAX_BUFFER)));

    static final OptionSpec RATE = valued(Section.DEMO, "--rate", "HZ",
            String.valueOf(LinkDefaults.DEFAULT_RATE), "8000 to 192000",
            "Sample rate of both ends.",
            (v, g) -> v.sampleRate.set(g, g.whole(8000, 192000)));

    static final OptionTable TABLE = new OptionTable(List.of(SECONDS, BUFFER_SIZE, RATE,
            LinkOptions.CHANNELS, LinkOptions.BITRES, LinkOptions.QUEUE, LinkOptions.REDUNDANCY,
            LinkOptions.SIGNAL, LinkOptions.HELP, LinkOptions.VERSION));

    private DemoOptions() {
    }

    /** The demo the values describe, with defaults filled in. */
    static Command.Demo toDemo(OptionValues v) {
        return new Command.Demo(
                v.seconds.orElse(DEFAULT_SECONDS),
                v.channels.orElse(LinkDefaults.DEFAULT_CHANNELS),
                v.bitResolution.orElse(LinkDefaults.DEFAULT_BITS),
                v.queue.orElse(LinkDefaults.DEFAULT_QUEUE),
                v.redundancy.orElse(LinkDefaults.DEFAULT_REDUNDANCY),
                v.bufferSize.orElse(LinkDefaults.DEFAULT_BUILTIN_BUFFER),
                v.sampleRate.orElse(LinkDefaults.DEFAULT_RATE),
                v.signal.orElse(LinkDefaults.DEFAULT_SIGNAL));
    }
}
