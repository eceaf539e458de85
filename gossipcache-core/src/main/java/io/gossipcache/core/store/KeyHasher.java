package io.gossipcache.core.store;

/**
 * Computes a key's {@link KeyHash} from the key object, for the key types whose encoding it knows, so that the
 * store need not keep the hash in every entry (8 bytes per entry). The hash must equal {@link KeyHash#of} of the
 * bytes the key codec produces: it is what every member computes from the bytes it receives.
 */
public interface KeyHasher {

    /** Derives nothing: every entry keeps its key hash. */
    KeyHasher NONE = new KeyHasher() {
        @Override
        public boolean derives(Object key) {
            return false;
        }

        @Override
        public long hash(Object key) {
            throw new IllegalArgumentException("no derived key hash for " + key.getClass().getName());
        }
    };

    /** Whether {@link #hash} answers for this key. */
    boolean derives(Object key);

    /** {@link KeyHash#of} the key's encoding, computed without encoding it; only for keys it {@link #derives}. */
    long hash(Object key);
}
