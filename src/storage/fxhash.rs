//! A fast hasher for the in-memory maps of bulk work (a million-row import hashes a few
//! keys per row): FxHash, as in rustc. Its weak resistance to crafted collisions buys
//! nothing to lose here — the keys are the user's own rows, checked in their own process.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_i32(&mut self, i: i32) {
        self.add(i as u32 as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type Fx = BuildHasherDefault<FxHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_hasher_tells_near_keys_apart() {
        let hash = |key: (&str, &str, i32)| {
            use std::hash::BuildHasher;
            Fx::default().hash_one(key)
        };
        assert_ne!(hash(("SF", "2100", 24315)), hash(("SF", "2100", 24316)));
        assert_ne!(hash(("SF", "2100", 1)), hash(("SF", "2101", 1)));
        assert_ne!(hash(("SF2", "100", 1)), hash(("SF", "2100", 1)));
    }
}
