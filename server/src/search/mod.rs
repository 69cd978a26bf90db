//! The search index: a cache of the database on each instance's local disk (tantivy, BM25 over
//! jieba-segmented text), following the change log (`follow.rs`), rebuilt from the database when
//! missing or corrupt (`ipoc search rebuild`, or at start-up without blocking `/health`).

pub mod documents;
mod facets;
pub mod follow;
pub mod query;
mod schema;
pub mod text;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use documents::Kind;
use follow::Cursor;
use schema::Fields;

/// Where the index lives and how it writes (`IPOC_SEARCH_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSettings {
    /// `IPOC_SEARCH_DIR`, default `IPOC_DATA_DIR/search`; `memory` keeps it in memory.
    pub dir: std::path::PathBuf,
    /// `IPOC_SEARCH_THREADS`: indexing threads, default 1.
    pub threads: usize,
    /// `IPOC_SEARCH_MEMORY_MB`: the indexing memory of all threads, default 64.
    pub memory_mb: usize,
    /// `IPOC_SEARCH_POLL_MS`: how often the change log is read, default 200.
    pub poll_ms: u64,
}

/// The items of one kind that changed, and the documents of those still there.
pub(crate) type Changed = (Kind, Vec<i32>, Vec<(i32, TantivyDocument)>);

/// One instance's index, its writer and where it stands in the change log.
pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    /// `None` until built: the follower rebuilds it first.
    cursor: Mutex<Option<Cursor>>,
    ready: tokio::sync::watch::Sender<bool>,
    /// Searches running at once: one per core.
    searching: tokio::sync::Semaphore,
}

/// A failure of the index, as the caller's error.
fn failed(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("search index: {error}")
}

impl SearchIndex {
    /// Opens the index of `settings` (created when missing; recreated when it cannot be read;
    /// kept in memory when `memory` or when another process holds the folder).
    pub fn open(settings: &SearchSettings) -> anyhow::Result<Arc<SearchIndex>> {
        let (schema, fields) = schema::schema();
        if settings.dir.as_os_str() == "memory" {
            return Self::with(Index::create_in_ram(schema), fields, settings);
        }
        let index = match Self::on_disk(&settings.dir, &schema) {
            Ok(index) => index,
            Err(error) => {
                tracing::warn!(%error, "search index unreadable; rebuilding it");
                std::fs::remove_dir_all(&settings.dir).ok();
                Self::on_disk(&settings.dir, &schema)?
            }
        };
        match Self::with(index, fields, settings) {
            Ok(opened) => Ok(opened),
            Err(error) => {
                tracing::warn!(%error, "search index folder in use; this instance keeps its index in memory");
                Self::with(Index::create_in_ram(schema), fields, settings)
            }
        }
    }

    /// Opens the index folder of `settings` for this process alone (`ipoc search rebuild`):
    /// refused while a running ipoc holds it.
    pub fn open_exclusive(settings: &SearchSettings) -> anyhow::Result<Arc<SearchIndex>> {
        let (schema, fields) = schema::schema();
        let index = match Self::on_disk(&settings.dir, &schema) {
            Ok(index) => index,
            Err(_) => {
                std::fs::remove_dir_all(&settings.dir).ok();
                Self::on_disk(&settings.dir, &schema)?
            }
        };
        Self::with(index, fields, settings).map_err(|error| {
            anyhow::anyhow!(
                "{}: {error}; stop the ipoc serving from it first (or delete the folder: a server rebuilds it at start-up)",
                settings.dir.display()
            )
        })
    }

    fn on_disk(dir: &Path, schema: &tantivy::schema::Schema) -> anyhow::Result<Index> {
        std::fs::create_dir_all(dir)?;
        let index =
            Index::open_or_create(MmapDirectory::open(dir).map_err(failed)?, schema.clone())
                .map_err(failed)?;
        index.load_metas().map_err(failed)?;
        Ok(index)
    }

    fn with(
        index: Index,
        fields: Fields,
        settings: &SearchSettings,
    ) -> anyhow::Result<Arc<SearchIndex>> {
        index
            .tokenizers()
            .register(schema::SEGMENTED, schema::segmented());
        let memory = (settings.memory_mb << 20).max(settings.threads * (15 << 20));
        let writer = index
            .writer_with_num_threads(settings.threads.max(1), memory)
            .map_err(failed)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(failed)?;
        let payload = index.load_metas().map_err(failed)?.payload;
        let cursor = payload.and_then(|p| serde_json::from_str::<Cursor>(&p).ok());
        Ok(Arc::new(SearchIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(writer),
            cursor: Mutex::new(cursor),
            ready: tokio::sync::watch::Sender::new(false),
            searching: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, usize::from),
            ),
        }))
    }

    /// Where the index stands in the change log (`None`: not built yet).
    pub fn cursor(&self) -> Option<Cursor> {
        self.cursor.lock().ok().and_then(|c| c.clone())
    }

    /// Marks the index built: searches stop waiting.
    pub fn mark_ready(&self) {
        self.ready.send_replace(true);
    }

    /// Whether the index is built, waiting at most `wait` for it.
    pub async fn wait_ready(&self, wait: Duration) -> bool {
        let mut ready = self.ready.subscribe();
        tokio::time::timeout(wait, ready.wait_for(|r| *r))
            .await
            .is_ok()
    }

    /// Runs `work` with the writer on a blocking thread.
    async fn writing<T: Send + 'static>(
        self: &Arc<SearchIndex>,
        work: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> tantivy::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let index = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut writer = index.writer.lock().map_err(|_| failed("writer poisoned"))?;
            work(&mut writer).map_err(failed)
        })
        .await?
    }

    /// Deletes every document (a rebuild's start; committed with the rebuild).
    pub(crate) async fn clear(self: &Arc<Self>) -> anyhow::Result<()> {
        self.writing(|w| w.delete_all_documents().map(drop)).await
    }

    /// Adds documents (a rebuild's batch; committed with the rebuild).
    pub(crate) async fn add(
        self: &Arc<Self>,
        documents: Vec<(i32, TantivyDocument)>,
    ) -> anyhow::Result<()> {
        self.writing(move |w| {
            for (_, document) in documents {
                w.add_document(document)?;
            }
            Ok(())
        })
        .await
    }

    /// Commits what was written with `cursor`, and shows it to searches.
    pub(crate) async fn commit(self: &Arc<Self>, cursor: Cursor) -> anyhow::Result<()> {
        let payload = serde_json::to_string(&cursor)?;
        self.writing(move |w| {
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit().map(drop)
        })
        .await?;
        self.reader.reload().map_err(failed)?;
        if let Ok(mut slot) = self.cursor.lock() {
            *slot = Some(cursor);
        }
        Ok(())
    }

    /// Replaces the changed items of each `(kind, ids, documents)` (an id without a document is
    /// gone) and commits with `cursor`.
    pub(crate) async fn apply(
        self: &Arc<Self>,
        batch: Vec<Changed>,
        cursor: Cursor,
    ) -> anyhow::Result<()> {
        let key = self.fields.key;
        self.writing(move |w| {
            for (kind, ids, documents) in batch {
                for id in ids {
                    w.delete_term(Term::from_field_text(key, &documents::key(kind, id)));
                }
                for (_, document) in documents {
                    w.add_document(document)?;
                }
            }
            Ok(())
        })
        .await?;
        self.commit(cursor).await
    }
}
