package org.jamwire.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a peer's relayed feed keeps of a hub's clients, and what it refuses. */
class PeerFeedTest {

    @TempDir
    Path dir;

    @Test
    void a_hub_client_s_meters_are_kept_by_link_and_name_and_its_counters_stay_apart() throws Exception {
        final Lab lab = new Lab(dir.resolve("peers.json"), new KnownHosts(dir.resolve("known_hosts")),
                SshSession.Timeouts.defaults());
        // No such peer: the feed's thread gives up at once, and only what it is handed is kept.
        try (PeerFeed feed = new PeerFeed(lab, "lab-hub", null)) {
            feed.take("{\"type\":\"clients\",\"link\":\"l1\",\"t\":1,\"clients\":[{\"slot\":0,\"name\":\"lab-c\"}]}");
            feed.take("{\"type\":\"counters\",\"link\":\"l1\",\"client\":0,\"name\":\"lab-c\",\"t\":1,"
                    + "\"values\":{\"lost\":3}}");
            feed.take("{\"type\":\"meters\",\"link\":\"l1\",\"client\":0,\"name\":\"lab-c\",\"t\":1,"
                    + "\"send\":{\"peak\":[-6.0],\"rms\":[-9.0]},\"receive\":{\"peak\":[-20.0],\"rms\":[-24.0]}}");
            feed.take("{\"type\":\"meters\",\"link\":\"l1\",\"client\":1,\"name\":\"10.0.0.7\",\"t\":1,"
                    + "\"send\":{\"peak\":[-1.0],\"rms\":[-2.0]},\"receive\":{\"peak\":[-3.0],\"rms\":[-4.0]}}");
            assertEquals(0, feed.refused());
            assertEquals(Set.of("l1/lab-c", "l1/10.0.0.7"), feed.clientMeters().keySet());
            assertEquals(-6.0, feed.clientMeters().get("l1/lab-c").path("send").path("peak").get(0).asDouble());
            assertTrue(feed.counters().isEmpty(), "a client's counters are not the link's: " + feed.counters());
            assertTrue(feed.meters().isEmpty(), "a client's meters are not the link's: " + feed.meters());

            // A name that is no client's, a slot that is no number, a link id that is none, levels missing.
            feed.take("{\"type\":\"meters\",\"link\":\"l1\",\"client\":0,\"name\":\"../x y\",\"send\":{},\"receive\":{}}");
            feed.take("{\"type\":\"meters\",\"link\":\"l1\",\"client\":\"a\",\"name\":\"lab-c\",\"send\":{},"
                    + "\"receive\":{}}");
            feed.take("{\"type\":\"meters\",\"link\":\"x\",\"client\":0,\"name\":\"lab-c\",\"send\":{},\"receive\":{}}");
            feed.take("{\"type\":\"meters\",\"link\":\"l1\",\"client\":0,\"name\":\"lab-c\",\"send\":{}}");
            feed.take("{\"type\":\"clients\",\"link\":\"l1\",\"clients\":{}}");
            assertEquals(5, feed.refused());
            assertEquals(2, feed.clientMeters().size());
        }
    }
}
