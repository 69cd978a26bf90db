//! What changed between two submitted revisions of a report: each figure whose frozen value
//! differs, and each achievement area whose text differs, as runs of kept, removed and added text
//! (a character diff by `similar`: Chinese has no spaces to split words on).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use similar::{ChangeTag, TextDiff};
use utoipa::ToSchema;

use super::RevisionView;

/// A figure whose frozen value differs.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FigureChange {
    /// A dotted path into the frozen figures, e.g. `amount_by_kind.license`, `criteria.operation_scale.passed`.
    pub figure: String,
    #[schema(value_type = Object)]
    pub before: Value,
    #[schema(value_type = Object)]
    pub after: Value,
}

/// A run of text: `equal`, `delete` or `insert`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TextRun {
    pub op: &'static str,
    pub text: String,
}

/// An achievement area whose text (or whose "nothing to report" mark) differs.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AreaChange {
    pub area: String,
    pub before: String,
    pub after: String,
    pub nothing_to_report_before: bool,
    pub nothing_to_report_after: bool,
    pub runs: Vec<TextRun>,
}

/// The differences from one revision to the next.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RevisionDiff {
    pub from: i32,
    pub to: i32,
    pub figures: Vec<FigureChange>,
    pub narratives: Vec<AreaChange>,
}

/// The differences between each pair of consecutive revisions, oldest first.
pub fn differences(revisions: &[RevisionView]) -> Vec<RevisionDiff> {
    revisions
        .windows(2)
        .map(|pair| between(&pair[0], &pair[1]))
        .collect()
}

/// The differences from `old` to `new`.
pub fn between(old: &RevisionView, new: &RevisionView) -> RevisionDiff {
    let (mut before, mut after) = (BTreeMap::new(), BTreeMap::new());
    flatten("", &old.figures, &mut before);
    flatten("", &new.figures, &mut after);
    let mut figures: Vec<FigureChange> = before
        .keys()
        .chain(after.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|key| before.get(*key) != after.get(*key))
        .map(|key| FigureChange {
            figure: key.clone(),
            before: before.get(key).cloned().unwrap_or(Value::Null),
            after: after.get(key).cloned().unwrap_or(Value::Null),
        })
        .collect();
    // the worded verdicts follow the figures they word
    figures.retain(|c| !c.figure.ends_with(".detail_zh") && !c.figure.ends_with(".detail_en"));
    let areas: std::collections::BTreeSet<&String> = old
        .narratives
        .keys()
        .chain(new.narratives.keys())
        .chain(old.nothing_to_report.iter())
        .chain(new.nothing_to_report.iter())
        .collect();
    let narratives = areas
        .into_iter()
        .filter_map(|area| {
            let text = |r: &RevisionView| r.narratives.get(area).cloned().unwrap_or_default();
            let (b, a) = (text(old), text(new));
            let (nb, na) = (
                old.nothing_to_report.contains(area),
                new.nothing_to_report.contains(area),
            );
            (b != a || nb != na).then(|| AreaChange {
                area: area.clone(),
                runs: runs(&b, &a),
                before: b,
                after: a,
                nothing_to_report_before: nb,
                nothing_to_report_after: na,
            })
        })
        .collect();
    RevisionDiff {
        from: old.revision,
        to: new.revision,
        figures,
        narratives,
    }
}

/// `value` as dotted paths to its scalars; an array of objects with a `rule` is keyed by it.
fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&join(k), v, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = item
                    .get("rule")
                    .and_then(Value::as_str)
                    .map_or_else(|| i.to_string(), str::to_string);
                flatten(&join(&key), item, out);
            }
        }
        scalar => {
            if !prefix.ends_with(".rule") {
                out.insert(prefix.to_string(), scalar.clone());
            }
        }
    }
}

/// The character diff of `before` and `after` as runs of one kind each.
fn runs(before: &str, after: &str) -> Vec<TextRun> {
    let diff = TextDiff::from_chars(before, after);
    let mut runs: Vec<TextRun> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        match runs.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => runs.push(TextRun {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn revision(n: i32, text: &str, amount: &str, nothing: &[&str]) -> RevisionView {
        RevisionView {
            revision: n,
            narratives: [("operations".to_string(), text.to_string())].into(),
            nothing_to_report: nothing.iter().map(|s| s.to_string()).collect(),
            figures: json!({"operation_amount": amount, "amount_by_kind": {"license": amount},
                "criteria": [{"rule": "operation_scale", "passed": amount == "6000000.00", "detail_zh": amount}]}),
            rulebook_version: 1,
            submitted_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn figures_and_text_that_changed_are_listed_and_nothing_else() {
        let one = revision(1, "全年转让许可 8 项", "4000000.00", &["chain_support"]);
        let two = revision(2, "全年转让许可 9 项，新增作价入股", "6000000.00", &[]);
        let diffs = differences(&[one.clone(), two]);
        assert_eq!(diffs.len(), 1);
        let d = &diffs[0];
        assert_eq!((d.from, d.to), (1, 2));
        let names: Vec<&str> = d.figures.iter().map(|c| c.figure.as_str()).collect();
        assert_eq!(
            names,
            [
                "amount_by_kind.license",
                "criteria.operation_scale.passed",
                "operation_amount"
            ]
        );
        assert_eq!(d.figures[2].before, json!("4000000.00"));
        assert_eq!(d.figures[2].after, json!("6000000.00"));
        let ops: Vec<(&str, &str)> = d.narratives[1]
            .runs
            .iter()
            .map(|r| (r.op, r.text.as_str()))
            .collect();
        assert_eq!(d.narratives[1].area, "operations");
        assert_eq!(
            ops,
            [
                ("equal", "全年转让许可 "),
                ("delete", "8"),
                ("insert", "9"),
                ("equal", " 项"),
                ("insert", "，新增作价入股")
            ]
        );
        assert_eq!(d.narratives[0].area, "chain_support");
        assert!(
            d.narratives[0].nothing_to_report_before && !d.narratives[0].nothing_to_report_after
        );
        assert!(
            differences(&[one.clone(), one])
                .iter()
                .all(|d| d.figures.is_empty() && d.narratives.is_empty())
        );
    }
}
