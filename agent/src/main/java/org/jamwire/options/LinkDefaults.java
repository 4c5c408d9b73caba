package org.jamwire.options;

/**
 * The defaults, limits and fixed choices of a link's option values, shared by the link, demo and
 * link-test commands and by the agent's form of a link. Constants only.
 */
final class LinkDefaults {

    static final int DEFAULT_CHANNELS = 2;
    static final int DEFAULT_BITS = 16;
    static final int DEFAULT_QUEUE = 4;
    static final int DEFAULT_REDUNDANCY = 1;
    static final int DEFAULT_BUILTIN_BUFFER = 128;
    static final int DEFAULT_RATE = 48000;
    static final String DEFAULT_SIGNAL = "sine";
    static final int TIMEOUT_SECONDS = 10;
    static final int MAX_CHANNELS = 255;
    static final int MAX_BUFFER = 8192;
    static final String[] BIT_RESOLUTIONS = {"8", "16", "24", "32"};
    static final String[] UNDERRUN_POLICIES = {"predict", "repeat", "zeros"};
    static final String[] BACKENDS = {"jack", "builtin"};
    static final String[] SIGNALS = {"sine", "ramp", "silence"};

    private LinkDefaults() {
    }
}
