//! The one cap on what is read from a file or an HTTP reply, so that no input (`/dev/zero`, a
//! reply that never ends) can exhaust memory. The cap and the readers live in the crate the
//! generator shares with the runtime (which reads settings files and replies too); they are
//! re-exported here, where the generator's file reads name them.

pub use barekey_typegen_shared::limit::read_prefix;
pub use barekey_typegen_shared::limit::{MAX_READ_BYTES, read_file, read_file_to_string};
