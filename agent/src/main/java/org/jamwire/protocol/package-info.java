/**
 * The JackTrip wire format: the 16-byte audio header, the sample codecs, the stop packet and
 * redundancy layout, as pure functions over {@link java.nio.ByteBuffer}s.
 *
 * <p>Everything on the encode, decode and check paths is called from the JACK process callback or
 * the network packet loop, so those methods never allocate, lock or block, and they use absolute
 * buffer positions so the caller's buffer position, limit and byte order are left untouched. Only
 * the {@code describe}/{@code explain} methods build strings; they are for the control thread.
 */
package org.jamwire.protocol;
