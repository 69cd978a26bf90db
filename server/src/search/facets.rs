//! Counting what a search found by the values of a few fast text fields: per segment an array
//! of counters indexed by the column's term ordinals, turned into values once at the end (a
//! general aggregation costs far more per document and per request).

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts by value of each of `fields` (fast text fields).
pub struct FacetCounts {
    pub fields: Vec<&'static str>,
}

/// Field → value → documents.
pub type Counts = BTreeMap<String, HashMap<String, u64>>;

/// One segment's counters.
pub struct SegmentCounts {
    columns: Vec<(&'static str, Option<StrColumn>, Vec<u64>)>,
}

impl Collector for FacetCounts {
    type Fruit = Counts;
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCounts> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let column = segment.fast_fields().str(field)?;
            let counters = vec![0; column.as_ref().map_or(0, |c| c.num_terms())];
            columns.push((*field, column, counters));
        }
        Ok(SegmentCounts { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged = Counts::new();
        for fruit in fruits {
            for (field, values) in fruit {
                let slot = merged.entry(field).or_default();
                for (value, count) in values {
                    *slot.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (_, column, counters) in &mut self.columns {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(counter) = counters.get_mut(ord as usize) {
                        *counter += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut counts = Counts::new();
        for (field, column, counters) in self.columns {
            let slot = counts.entry(field.to_string()).or_default();
            let Some(column) = column else { continue };
            let mut value = String::new();
            for (ord, count) in counters.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                value.clear();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    slot.insert(value.clone(), count);
                }
            }
        }
        counts
    }
}
