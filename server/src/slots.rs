//! Counted places per key (a client address, an organization): at most a limit held
//! at once per key, each given back when its holder is dropped. The map holds only
//! keys with places taken, so it is as large as what is in use, no larger.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

/// The places in use, per key.
#[derive(Debug)]
pub struct Slots<K> {
    taken: Mutex<HashMap<K, usize>>,
}

impl<K> Default for Slots<K> {
    fn default() -> Self {
        Self {
            taken: Mutex::new(HashMap::new()),
        }
    }
}

/// One place of `key`, given back on drop.
#[derive(Debug)]
pub struct Slot<K: Hash + Eq + Copy> {
    slots: Arc<Slots<K>>,
    key: K,
}

impl<K: Hash + Eq + Copy> Slots<K> {
    /// A place of `key`, unless `limit` of them are taken.
    pub fn try_take(self: &Arc<Self>, key: K, limit: usize) -> Option<Slot<K>> {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let count = taken.entry(key).or_insert(0);
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(Slot {
            slots: self.clone(),
            key,
        })
    }
}

impl<K: Hash + Eq + Copy> Drop for Slot<K> {
    fn drop(&mut self) {
        let mut taken = self
            .slots
            .taken
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = taken.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                taken.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_holds_at_most_its_limit_and_gets_places_back() {
        let slots = Arc::new(Slots::default());
        let a = slots.try_take('a', 2).unwrap();
        let _b = slots.try_take('a', 2).unwrap();
        assert!(slots.try_take('a', 2).is_none());
        assert!(
            slots.try_take('b', 2).is_some(),
            "other keys are not affected"
        );
        drop(a);
        assert!(slots.try_take('a', 2).is_some());
        drop(_b);
        assert!(
            slots.taken.lock().unwrap().len() <= 1,
            "unused keys are forgotten"
        );
    }
}
