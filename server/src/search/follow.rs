//! Following the change log: every write of a listing or a demand adds a row in its own
//! transaction; each instance re-reads the changed items and applies them to its index. Ids
//! are handed out before commit, so a row may appear after rows with higher ids (PostgreSQL):
//! the cursor keeps what it applied above its low-water mark and waits for each gap before it
//! gives it up (a rolled-back write leaves one for good).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use entities::search_changes;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::SearchIndex;
use super::documents::{Kind, read};

/// How long a missing change id may still commit before the cursor gives it up.
const GAP_WAIT: Duration = Duration::from_secs(60);

/// The change ids a rebuild marks as seen below the newest (later gaps are waited for).
const WINDOW: i32 = 10_000;

/// The most changes one step applies.
const STEP: u64 = 5_000;

/// Records, in the caller's transaction, that item `id` of `kind` changed.
pub async fn changed(
    txn: &impl ConnectionTrait,
    kind: Kind,
    id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    search_changes::ActiveModel {
        kind: Set(kind.as_str().to_string()),
        item_id: Set(id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map(drop)
}

/// Records, in the caller's transaction, that the items `ids` of `kind` changed (a thousand
/// rows per statement).
pub async fn changed_many(
    txn: &impl ConnectionTrait,
    kind: Kind,
    ids: &[i32],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    for chunk in ids.chunks(1_000) {
        let rows = chunk.iter().map(|id| search_changes::ActiveModel {
            kind: Set(kind.as_str().to_string()),
            item_id: Set(*id),
            created_at: Set(now),
            ..Default::default()
        });
        search_changes::Entity::insert_many(rows).exec(txn).await?;
    }
    Ok(())
}

/// Where an index stands in the change log (kept in its commit's payload).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cursor {
    /// Every change id up to this one is applied (or given up).
    pub applied_to: i32,
    /// Change ids above `applied_to` already applied.
    pub seen: BTreeSet<i32>,
    /// When each missing id below the highest seen was first missed.
    #[serde(skip)]
    gaps: HashMap<i32, Instant>,
}

impl Cursor {
    /// A cursor that has seen `visible` (the ids of the newest changes) and everything below them.
    fn after_rebuild(visible: Vec<i32>) -> Cursor {
        let newest = visible.iter().copied().max().unwrap_or(0);
        Cursor {
            applied_to: (newest - WINDOW).max(0),
            seen: visible.into_iter().collect(),
            gaps: HashMap::new(),
        }
    }

    /// The changes of `rows` not applied yet, marked as seen.
    fn take(&mut self, rows: Vec<search_changes::Model>) -> Vec<(Kind, i32)> {
        (rows.into_iter())
            .filter(|r| r.id > self.applied_to && self.seen.insert(r.id))
            .filter_map(|r| Kind::parse(&r.kind).map(|k| (k, r.item_id)))
            .collect()
    }

    /// Moves the low-water mark over every id seen, and over gaps missed longer than
    /// [`GAP_WAIT`].
    fn advance(&mut self, now: Instant) {
        let highest = self.seen.last().copied().unwrap_or(self.applied_to);
        while self.applied_to < highest {
            let next = self.applied_to + 1;
            if self.seen.remove(&next) {
                self.applied_to = next;
                continue;
            }
            let since = *self.gaps.entry(next).or_insert(now);
            if now.duration_since(since) < GAP_WAIT {
                break;
            }
            self.gaps.remove(&next);
            self.applied_to = next;
        }
    }
}

/// Applies the changes committed since the cursor: returns how many items it re-read.
pub async fn catch_up(index: &Arc<SearchIndex>, db: &DatabaseConnection) -> anyhow::Result<usize> {
    let Some(mut cursor) = index.cursor() else {
        return Ok(0);
    };
    let rows = search_changes::Entity::find()
        .filter(search_changes::Column::Id.gt(cursor.applied_to))
        .order_by_asc(search_changes::Column::Id)
        .limit(STEP)
        .all(db)
        .await?;
    let before = (cursor.applied_to, cursor.seen.len());
    let changes = cursor.take(rows);
    cursor.advance(Instant::now());
    if changes.is_empty() && before == (cursor.applied_to, cursor.seen.len()) {
        return Ok(0);
    }
    let mut batch = Vec::new();
    for kind in [Kind::Listing, Kind::Demand] {
        let mut ids: Vec<i32> = (changes.iter())
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            continue;
        }
        let documents = read(db, &index.fields, kind, (0, ids.len() as u64), Some(&ids)).await?;
        batch.push((kind, ids, documents));
    }
    let count = batch.iter().map(|(_, ids, _)| ids.len()).sum();
    index.apply(batch, cursor).await?;
    Ok(count)
}

/// Rebuilds the index from the database: every listing and demand, then the cursor at the
/// change log's newest rows (read first, so a change committed meanwhile is applied after).
pub async fn rebuild(index: &Arc<SearchIndex>, db: &DatabaseConnection) -> anyhow::Result<usize> {
    let newest: Option<i32> = search_changes::Entity::find()
        .select_only()
        .column_as(search_changes::Column::Id.max(), "max")
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let visible: Vec<i32> = search_changes::Entity::find()
        .select_only()
        .column(search_changes::Column::Id)
        .filter(search_changes::Column::Id.gt(newest.unwrap_or(0) - WINDOW))
        .into_tuple()
        .all(db)
        .await?;
    index.clear().await?;
    let mut total = 0;
    for kind in [Kind::Listing, Kind::Demand] {
        let mut after = 0;
        loop {
            let documents = read(db, &index.fields, kind, (after, 2_000), None).await?;
            let Some((last, _)) = documents.last() else {
                break;
            };
            after = *last;
            total += documents.len();
            index.add(documents).await?;
        }
    }
    index.commit(Cursor::after_rebuild(visible)).await?;
    Ok(total)
}

/// The follower of one instance: a rebuild when the index has no cursor (missing, corrupt or
/// new), then the change log every `poll`. Runs beside the server: `/health` never waits for it.
pub async fn run(index: Arc<SearchIndex>, db: DatabaseConnection, poll: Duration) {
    // while the database fails, wait longer between tries (up to 64 polls) and log once a try
    let mut failures: u32 = 0;
    loop {
        let outcome = if index.cursor().is_none() {
            rebuild(&index, &db)
                .await
                .map(|count| tracing::info!(count, "search index rebuilt"))
        } else {
            catch_up(&index, &db).await.map(drop)
        };
        match outcome {
            Ok(()) => failures = 0,
            Err(error) => {
                failures = (failures + 1).min(6);
                tracing::warn!(%error, "search index could not read the database; retrying");
            }
        }
        if index.cursor().is_some() {
            index.mark_ready();
        }
        tokio::time::sleep(poll * 2u32.pow(failures)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i32) -> search_changes::Model {
        search_changes::Model {
            id,
            kind: "listing".into(),
            item_id: id * 10,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_change_committed_late_below_the_highest_is_still_applied_once() {
        let mut cursor = Cursor::default();
        let start = Instant::now();
        assert_eq!(cursor.take(vec![row(1), row(3)]).len(), 2);
        cursor.advance(start);
        assert_eq!(cursor.applied_to, 1, "waits at the gap of 2");
        assert_eq!(cursor.take(vec![row(2), row(3)]), vec![(Kind::Listing, 20)]);
        cursor.advance(start);
        assert_eq!((cursor.applied_to, cursor.seen.len()), (3, 0));
    }

    #[test]
    fn a_gap_is_given_up_after_the_wait() {
        let mut cursor = Cursor::default();
        let start = Instant::now();
        cursor.take(vec![row(2)]);
        cursor.advance(start);
        assert_eq!(cursor.applied_to, 0);
        cursor.advance(start + GAP_WAIT);
        assert_eq!(cursor.applied_to, 2);
    }
}
