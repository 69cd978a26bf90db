//! The fields of the search index: one document per listing or demand, its text pre-segmented
//! (blank-separated terms) and its filters and facets as exact terms.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};

/// The tokenizer of the text fields: the terms are already segmented and folded.
pub const SEGMENTED: &str = "segmented";

/// The fields, by role.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `listing:12` or `demand:5`: what a change deletes.
    pub key: Field,
    /// `listing` or `demand`.
    pub kind: Field,
    pub id: Field,
    pub title: Field,
    /// Abstract and claims of a listing; description and keywords of a demand.
    pub body: Field,
    pub industry: Field,
    /// Every prefix of every IPC code (class, subclass, main group, subgroup).
    pub ipc: Field,
    /// A listing's offered modes; a demand's wanted mode.
    pub mode: Field,
    /// The owner's (or member's) USCC.
    pub owner: Field,
    pub owner_kind: Field,
    /// The owner's province, two digits.
    pub province: Field,
    pub legal_status: Field,
    pub maturity: Field,
    /// `listed`, `withdrawn`; a demand's stored status.
    pub status: Field,
    /// The owner's (or member's) organization id.
    pub org: Field,
    /// A demand's visibility.
    pub visibility: Field,
    /// A demand's last valid day, as days since 1970-01-01.
    pub valid_until: Field,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(SEGMENTED)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | FAST),
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        industry: b.add_text_field("industry", STRING | FAST),
        ipc: b.add_text_field("ipc", STRING),
        mode: b.add_text_field("mode", STRING | FAST),
        owner: b.add_text_field("owner", STRING),
        owner_kind: b.add_text_field("owner_kind", STRING | FAST),
        province: b.add_text_field("province", STRING | FAST),
        legal_status: b.add_text_field("legal_status", STRING),
        maturity: b.add_u64_field("maturity", INDEXED | FAST),
        status: b.add_text_field("status", STRING),
        org: b.add_u64_field("org", INDEXED | FAST),
        visibility: b.add_text_field("visibility", STRING),
        valid_until: b.add_i64_field("valid_until", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// The analyzer of the segmented text fields.
pub fn segmented() -> TextAnalyzer {
    TextAnalyzer::builder(WhitespaceTokenizer::default()).build()
}
