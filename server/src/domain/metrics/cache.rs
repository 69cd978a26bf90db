//! Computed figures and rendered list items, reused while what they were computed from is
//! unchanged.
//!
//! Every figure depends only on the center's records, the year, the evaluation date and the
//! rulebook version; database triggers move `centers.figures_version` on every change to those
//! records. An entry is stamped with what it was computed from (the figures version; for a list
//! item also the center's and its host's `version`) and served only to a request that has just
//! read the same stamp from the database, so a cached value is never stale, on any instance.

use chrono::NaiveDate;
use quick_cache::sync::Cache;
use std::{hash::Hash, sync::Arc};

use super::Figures;

/// What a figure was computed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FiguresKey {
    pub center_id: i32,
    pub year: i32,
    pub as_of: NaiveDate,
    pub rulebook_version: i32,
}

/// The figures of one key with the start of the cycle they count projects from.
pub type CycleFigures = Arc<(Figures, Option<NaiveDate>)>;

/// What a rendered list item was made from: the center's version, its figures' version, its
/// lifecycle version (reports, decisions, rectifications, withdrawal requests) and its host's
/// version (0 without a host).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemStamp {
    pub version: i32,
    pub figures_version: i64,
    pub lifecycle_version: i64,
    pub host_version: i32,
}

/// A bounded map whose entries are valid only under the stamp they were stored with; a capacity
/// of 0 keeps nothing.
pub struct StampedCache<K, S, V> {
    entries: Option<Cache<K, (S, V)>>,
}

impl<K: Eq + Hash + Clone, S: PartialEq + Clone, V: Clone> StampedCache<K, S, V> {
    /// A cache of at most `capacity` entries (0: no caching).
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: (capacity > 0).then(|| Cache::new(capacity)),
        }
    }

    /// The value of `key` if it was stored under `stamp`.
    pub fn get(&self, key: &K, stamp: &S) -> Option<V> {
        let (stored, value) = self.entries.as_ref()?.get(key)?;
        (stored == *stamp).then_some(value)
    }

    /// Keeps `value` for `key`, valid under `stamp`.
    pub fn keep(&self, key: K, stamp: S, value: V) {
        if let Some(entries) = &self.entries {
            entries.insert(key, (stamp, value));
        }
    }
}

/// The caches of computed figures: full figures (metrics route, center home), the summaries a
/// list shows, list items rendered as JSON, and metrics bodies rendered as JSON (per language:
/// their verdicts are worded).
pub struct FiguresCache {
    pub full: StampedCache<FiguresKey, i64, CycleFigures>,
    pub summaries: StampedCache<FiguresKey, i64, Arc<Figures>>,
    pub list_items: StampedCache<FiguresKey, ItemStamp, Arc<str>>,
    pub metrics_bodies: StampedCache<(FiguresKey, crate::i18n::Lang), ItemStamp, Arc<str>>,
}

impl FiguresCache {
    /// Caches of at most `capacity` entries each (0: no caching).
    pub fn new(capacity: usize) -> Self {
        Self {
            full: StampedCache::new(capacity),
            summaries: StampedCache::new(capacity),
            list_items: StampedCache::new(capacity),
            metrics_bodies: StampedCache::new(capacity),
        }
    }
}
