//! E-mail: written to the outbox in the transaction of the step that causes it, sent by a
//! worker inside the server with retries; a send failure never undoes the step.

pub mod outbox;
pub mod recipients;
pub mod transport;
pub mod worker;

pub use outbox::{Mail, enqueue};
