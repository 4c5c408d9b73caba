package org.jamwire.link;

/** Which end of a P2P link this is. */
public enum Role {
    /** Binds its port and adopts the source of the first datagram as its peer. */
    SERVER,
    /** Sends to a known host at once, from its own bind port. */
    CLIENT
}
