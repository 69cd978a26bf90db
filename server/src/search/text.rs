//! Chinese text as the index and the queries see it: traditional characters folded to
//! simplified, full-width letters and digits to half-width, lower case, segmented by jieba with
//! the shipped technical dictionary; a query's words expanded by the synonym table.

use std::collections::HashMap;
use std::sync::LazyLock;

use jieba_rs::Jieba;

/// Technical words per strategic emerging industry, one per line (`word [frequency]`), so that
/// jieba keeps them whole.
pub const DICTIONARY: &str = include_str!("dictionary.txt");

/// Groups of words that mean one thing, one group per line separated by blanks.
const SYNONYMS: &str = include_str!("synonyms.txt");

/// The segmenter: jieba's dictionary, the technical words and every synonym.
static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    let words = (DICTIONARY.lines())
        .chain(SYNONYMS.lines().flat_map(str::split_whitespace))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    for line in words {
        let mut parts = line.split_whitespace();
        if let Some(word) = parts.next() {
            let frequency = parts.next().and_then(|f| f.parse().ok()).or(Some(50_000));
            jieba.add_word(&fold(word), frequency, None);
        }
    }
    jieba
});

/// Each synonym's group (the word itself first).
static GROUPS: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(|| {
    let mut groups = HashMap::new();
    for line in SYNONYMS.lines().filter(|l| !l.starts_with('#')) {
        let group: Vec<String> = line.split_whitespace().map(fold).collect();
        for word in &group {
            let mut own = vec![word.clone()];
            own.extend(group.iter().filter(|w| *w != word).cloned());
            groups.insert(word.clone(), own);
        }
    }
    groups
});

/// `text` folded: simplified characters, half-width letters and digits, lower case.
pub fn fold(text: &str) -> String {
    let simplified = zhconv::zhconv(text, zhconv::Variant::ZhHans);
    simplified
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a segment is a word (not blanks or punctuation).
fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

/// The terms `text` is indexed under: every word and the shorter words within it (a search for
/// 电池 finds 锂离子电池).
pub fn index_terms(text: &str) -> Vec<String> {
    let folded = fold(text);
    (JIEBA.cut_for_search(&folded, true).into_iter())
        .map(|token| token.word.trim())
        .filter(|s| is_word(s))
        .map(str::to_string)
        .collect()
}

/// One word of a query and the synonyms searched with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    pub word: String,
    pub synonyms: Vec<String>,
}

/// Every word `words` searched for: each word and its synonyms (what a highlight marks).
pub fn searched(words: &[QueryWord]) -> Vec<String> {
    (words.iter())
        .flat_map(|w| std::iter::once(w.word.clone()).chain(w.synonyms.iter().cloned()))
        .collect()
}

/// The words of query `q` (folded and segmented, each once), with their synonyms.
pub fn query_words(q: &str) -> Vec<QueryWord> {
    let folded = fold(q);
    let mut seen = std::collections::HashSet::new();
    (JIEBA.cut(&folded, true).into_iter())
        .map(|token| token.word.trim())
        .filter(|s| is_word(s) && seen.insert(s.to_string()))
        .map(|word| QueryWord {
            word: word.to_string(),
            synonyms: GROUPS
                .get(word)
                .map(|g| g[1..].to_vec())
                .unwrap_or_default(),
        })
        .collect()
}

/// A stretch of a field around the words found, with the found words' character ranges in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Highlight {
    /// `title`, `abstract`, `claims` or `description`.
    pub field: String,
    pub fragment: String,
    /// `[start, end)` character offsets of each found word in `fragment`.
    pub marks: Vec<(usize, usize)>,
}

/// The highlight of `text` for `words` (any of them, folded), the fragment at most `width`
/// characters around the first found word; none when no word is found.
pub fn highlight(field: &str, text: &str, words: &[String], width: usize) -> Option<Highlight> {
    let folded: Vec<char> = fold(text).chars().collect();
    let original: Vec<char> = text.chars().collect();
    if folded.len() != original.len() {
        return None;
    }
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for word in words.iter().filter(|w| !w.is_empty()) {
        let needle: Vec<char> = word.chars().collect();
        let mut at = 0;
        while at + needle.len() <= folded.len() {
            if folded[at..at + needle.len()] == needle[..] {
                marks.push((at, at + needle.len()));
                at += needle.len();
            } else {
                at += 1;
            }
        }
    }
    marks.sort();
    marks.dedup_by(|b, a| b.0 < a.1);
    let first = marks.first()?.0;
    let start = first.saturating_sub(width / 4);
    let end = (start + width).min(original.len());
    let mut fragment: String = original[start..end].iter().collect();
    let mut shift = 0;
    if start > 0 {
        fragment.insert(0, '…');
        shift = 1;
    }
    if end < original.len() {
        fragment.push('…');
    }
    let marks = (marks.into_iter())
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start + shift, e - start + shift))
        .collect();
    Some(Highlight {
        field: field.to_string(),
        fragment,
        marks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_full_width_fold_to_simplified_half_width() {
        assert_eq!(fold("鋰離子電池ＡＢＣ１２"), "锂离子电池abc12");
    }

    #[test]
    fn the_technical_dictionary_keeps_words_whole() {
        let terms = index_terms("一种锂离子电池硅碳负极材料");
        assert!(terms.contains(&"锂离子电池".to_string()), "{terms:?}");
        assert!(terms.contains(&"电池".to_string()), "{terms:?}");
    }

    #[test]
    fn a_query_word_brings_its_synonyms() {
        let words = query_words("锂电池 隔膜");
        assert_eq!(words[0].word, "锂电池");
        assert!(
            words[0].synonyms.contains(&"锂离子电池".to_string()),
            "{words:?}"
        );
    }

    #[test]
    fn a_highlight_marks_each_word_found() {
        let found = highlight("title", "一种锂离子电池负极", &["电池".into()], 40).unwrap();
        assert_eq!(found.marks, vec![(5, 7)]);
    }
}
