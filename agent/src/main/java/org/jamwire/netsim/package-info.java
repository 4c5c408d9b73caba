/**
 * The impairment relay: a UDP relay between the two ends of a link that loses, duplicates,
 * reorders, delays and rate-limits datagrams from a seeded random generator, and records what it
 * did to every one. There is no {@code tc netem} on the machines the tests run on; this is how they
 * simulate a bad network, and {@code jamwire netsim} is how users do.
 *
 * <p>The relay is a test tool, not part of the real-time path: it keeps its datagrams in a pool of
 * preallocated buffers, but its record grows with every datagram and its threads take locks.
 */
package org.jamwire.netsim;
