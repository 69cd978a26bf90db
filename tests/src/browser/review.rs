//! What an expert does on any review page (an application's or an annual report's): declare, then
//! score against the rubric.

use super::Browser;

/// The rubric's items, in the order a walk gives its scores.
const RUBRIC: [&str; 5] = [
    "operation_scale",
    "projects",
    "alliance",
    "sme_service",
    "chain_support",
];

impl Browser {
    /// Declares no conflict of interest on the declaration page, after checking that neither
    /// answer was chosen in advance; the page confirms it.
    pub async fn declare_no_conflict(&mut self, step: &str) {
        let chosen = self
            .client
            .execute(
                "return document.querySelectorAll('input[type=radio]:checked').length",
                Vec::new(),
            )
            .await
            .expect("count the chosen answers");
        assert_eq!(chosen, 0, "nothing is chosen for the expert");
        self.tick("本人与该中心无利益冲突").await;
        self.submit("/conflict", "提交声明", step).await;
        assert!(
            self.text().await.contains("声明已记录。"),
            "the declaration confirms itself"
        );
    }

    /// Types `scores` (in the order of [`RUBRIC`]) and `comment` into the scoring form and saves
    /// them; the page confirms it.
    pub async fn score(&mut self, scores: [&str; 5], comment: &str, step: &str) {
        for (key, score) in RUBRIC.iter().zip(scores) {
            self.fill_form("/scores", &format!("score_{key}"), score)
                .await;
        }
        self.fill_form("/scores", "comment", comment).await;
        self.submit("/scores", "保存评分", step).await;
        assert!(
            self.text().await.contains("评分已保存。"),
            "the scores confirm themselves"
        );
    }
}
