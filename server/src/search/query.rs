//! Searching the index: the words of a query (each with its synonyms) ranked by BM25 over title
//! (weighted double) and body, within exact filters, with the facets of everything found.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::documents::Kind;
use super::facets::FacetCounts;
use super::text::QueryWord;
use super::{SearchIndex, failed};

/// One condition every result meets.
#[derive(Debug, Clone)]
pub enum Filter {
    /// The text field `field` holds `value`.
    Is(&'static str, String),
    /// The text field holds one of the values.
    AnyOf(&'static str, Vec<String>),
    /// The number field holds one of the values.
    AnyNumber(&'static str, Vec<u64>),
    /// The number field holds at least the value.
    AtLeast(&'static str, u64),
    /// The day field (days since 1970-01-01) is on or after the value.
    DayFrom(&'static str, i64),
    /// The day field is before the value.
    DayBefore(&'static str, i64),
    /// One of the conditions holds.
    Either(Vec<Filter>),
    /// The condition does not hold (cheap when it is rare: only its documents are read).
    Not(Box<Filter>),
}

/// What to look for.
#[derive(Debug, Clone)]
pub struct Request {
    pub kind: Kind,
    pub words: Vec<QueryWord>,
    pub filters: Vec<Filter>,
    pub offset: usize,
    pub limit: usize,
    /// The fields to count what was found by.
    pub facets: Vec<&'static str>,
}

/// What was found: the page's ids with their scores, the number found, and the counts by each
/// facet's value (most first).
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub hits: Vec<(i32, f32)>,
    pub total: usize,
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
}

impl Found {
    /// `items` (the rows of the hits, in any order, some perhaps gone) in the hits' order, each
    /// with its score.
    pub fn in_rank_order<T>(&self, items: Vec<T>, id_of: impl Fn(&T) -> i32) -> Vec<(T, f32)> {
        let rank: std::collections::HashMap<i32, (usize, f32)> = (self.hits.iter().enumerate())
            .map(|(at, (id, score))| (*id, (at, *score)))
            .collect();
        let mut ranked: Vec<(usize, T, f32)> = (items.into_iter())
            .filter_map(|item| {
                rank.get(&id_of(&item))
                    .map(|(at, score)| (*at, item, *score))
            })
            .collect();
        ranked.sort_by_key(|(at, _, _)| *at);
        ranked
            .into_iter()
            .map(|(_, item, score)| (item, score))
            .collect()
    }

    /// The ids found, best first.
    pub fn ids(&self) -> Vec<i32> {
        self.hits.iter().map(|(id, _)| *id).collect()
    }
}

impl SearchIndex {
    /// The field named `name`.
    fn field(&self, name: &str) -> anyhow::Result<tantivy::schema::Field> {
        self.index.schema().get_field(name).map_err(failed)
    }

    /// A filter as a query.
    fn filter_query(&self, filter: &Filter) -> anyhow::Result<Box<dyn Query>> {
        let text = |name: &str, value: &str| -> anyhow::Result<Term> {
            Ok(Term::from_field_text(self.field(name)?, value))
        };
        Ok(match filter {
            Filter::Is(name, value) => {
                Box::new(TermQuery::new(text(name, value)?, IndexRecordOption::Basic))
            }
            Filter::AnyOf(name, values) => {
                let terms = values
                    .iter()
                    .map(|v| text(name, v))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                Box::new(TermSetQuery::new(terms))
            }
            Filter::AnyNumber(name, values) => {
                let field = self.field(name)?;
                Box::new(TermSetQuery::new(
                    values.iter().map(|v| Term::from_field_u64(field, *v)),
                ))
            }
            Filter::AtLeast(name, value) => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(self.field(name)?, *value)),
                Bound::Unbounded,
            )),
            Filter::DayFrom(name, day) => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(self.field(name)?, *day)),
                Bound::Unbounded,
            )),
            Filter::DayBefore(name, day) => Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Excluded(Term::from_field_i64(self.field(name)?, *day)),
            )),
            Filter::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.filter_query(inner)?),
            ])),
            Filter::Either(filters) => Box::new(BooleanQuery::new(
                filters
                    .iter()
                    .map(|f| Ok((Occur::Should, self.filter_query(f)?)))
                    .collect::<anyhow::Result<Vec<_>>>()?,
            )),
        })
    }

    /// The words as a ranked query: each word or one of its synonyms, in the title or the body.
    fn words_query(&self, words: &[QueryWord]) -> anyhow::Result<Box<dyn Query>> {
        let (title, body) = (self.fields.title, self.fields.body);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in words {
            let variants =
                std::iter::once((&word.word, 1.0)).chain(word.synonyms.iter().map(|s| (s, 0.8)));
            for (variant, weight) in variants {
                for (field, boost) in [(title, 2.0), (body, 1.0)] {
                    let term = TermQuery::new(
                        Term::from_field_text(field, variant),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(term), boost * weight)),
                    ));
                }
            }
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The whole query of `request`.
    fn request_query(&self, request: &Request) -> anyhow::Result<BooleanQuery> {
        let kind = Term::from_field_text(self.fields.kind, request.kind.as_str());
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(kind, IndexRecordOption::Basic)),
        )];
        for filter in &request.filters {
            clauses.push(match filter {
                Filter::Not(inner) => (Occur::MustNot, self.filter_query(inner)?),
                other => (Occur::Must, self.filter_query(other)?),
            });
        }
        let ranked: Box<dyn Query> = if request.words.is_empty() {
            Box::new(AllQuery)
        } else {
            self.words_query(&request.words)?
        };
        clauses.push((Occur::Must, ranked));
        Ok(BooleanQuery::new(clauses))
    }

    /// Runs `request` on the index as last committed.
    pub async fn search(self: &Arc<SearchIndex>, request: Request) -> anyhow::Result<Found> {
        // one search per core at a time: more only queue inside the thread pool, each thread
        // holding its own memory
        let _turn = self.searching.acquire().await?;
        let index = Arc::clone(self);
        tokio::task::spawn_blocking(move || index.search_now(&request)).await?
    }

    fn search_now(&self, request: &Request) -> anyhow::Result<Found> {
        let query = self.request_query(request)?;
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(request.limit.max(1))
            .and_offset(request.offset)
            .order_by_score();
        let counting = FacetCounts {
            fields: request.facets.clone(),
        };
        let (top, total, counted) = if request.limit == 0 {
            let (total, counted) = searcher
                .search(&query, &(Count, counting))
                .map_err(failed)?;
            (Vec::new(), total, counted)
        } else {
            searcher
                .search(&query, &(top, Count, counting))
                .map_err(failed)?
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top.into_iter().take(request.limit) {
            let document: TantivyDocument = searcher.doc(address).map_err(failed)?;
            if let Some(id) = document.get_first(self.fields.id).and_then(|v| v.as_u64()) {
                hits.push((id as i32, score));
            }
        }
        let facets = (counted.into_iter())
            .map(|(field, values)| {
                let mut values: Vec<(String, u64)> = values.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (field, values)
            })
            .collect();
        Ok(Found {
            hits,
            total,
            facets,
        })
    }
}
