//! What can be wrong with an org chart or a network file, each said where it stands.

use std::fmt;

/// One problem in an input file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read: {source}")]
    Io { file: String, source: std::io::Error },
    /// About the file as a whole (empty, too large, a column missing).
    #[error("{file}: {message}")]
    File { file: String, message: String },
    /// At a row (its first line in the file) and a column (1-based field number).
    #[error("{file}:{line}:{column}: {message}")]
    Cell { file: String, line: u64, column: usize, message: String },
    /// At a row, not one field.
    #[error("{file}:{line}: {message}")]
    Row { file: String, line: u64, message: String },
    /// At an element of a graph file, named by its id (and where it starts).
    #[error("{file}:{line}:{column}: {element} \"{id}\": {message}")]
    Element { file: String, line: u64, column: u64, element: &'static str, id: String, message: String },
}

impl ImportError {
    /// Line and column, where the error has them.
    pub fn position(&self) -> Option<(u64, u64)> {
        match self {
            ImportError::Cell { line, column, .. } => Some((*line, *column as u64)),
            ImportError::Element { line, column, .. } => Some((*line, *column)),
            ImportError::Row { line, .. } => Some((*line, 0)),
            _ => None,
        }
    }
}

/// Every problem found in the inputs; nothing is written while there are any.
#[derive(Debug)]
pub struct ImportErrors(pub Vec<ImportError>);

/// Problems listed in full; past this many, a count of the rest.
const LISTED: usize = 50;

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, e) in self.0.iter().take(LISTED).enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        if self.0.len() > LISTED {
            write!(f, "\n… and {} more problems", self.0.len() - LISTED)?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

impl From<ImportError> for ImportErrors {
    fn from(e: ImportError) -> Self {
        ImportErrors(vec![e])
    }
}

/// Collects problems as they are found.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<ImportError>);

impl Problems {
    pub fn push(&mut self, e: ImportError) {
        self.0.push(e);
    }

    /// `Ok(value)` when nothing was found wrong, else every problem.
    pub fn or<T>(self, value: T) -> Result<T, ImportErrors> {
        if self.0.is_empty() { Ok(value) } else { Err(ImportErrors(self.0)) }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
