//! Finds where in a scene's text a key, a list item or a name stands, so that errors found
//! after parsing (ranges, names, cycles) can still point at a line and column.

/// Byte offsets into scene text, and which bytes are code (not in strings or comments).
pub(super) struct Locator<'a> {
    src: &'a str,
    code: Vec<bool>,
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub fn new(src: &'a str) -> Self {
        let b = src.as_bytes();
        let mut code = vec![true; b.len()];
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'"' || (b[i] == b'r' && matches!(b.get(i + 1), Some(b'"') | Some(b'#'))) {
                let start = i;
                let raw = b[i] == b'r';
                let mut hashes = 0;
                if raw {
                    i += 1;
                    while i < b.len() && b[i] == b'#' {
                        hashes += 1;
                        i += 1;
                    }
                    if i >= b.len() || b[i] != b'"' {
                        continue; // An identifier starting with r, not a raw string.
                    }
                }
                i += 1;
                while i < b.len() {
                    if !raw && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'"' && b[i + 1..].iter().take(hashes).filter(|&&c| c == b'#').count() == hashes {
                        i += 1 + hashes;
                        break;
                    }
                    i += 1;
                }
                // The opening quote stays code so string searches can find where a string starts.
                for c in code.iter_mut().take(i.min(b.len())).skip(start + 1) {
                    *c = false;
                }
            } else if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
                while i < b.len() && b[i] != b'\n' {
                    code[i] = false;
                    i += 1;
                }
            } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        code[i] = false;
                        code[i + 1] = false;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        code[i] = false;
                        code[i + 1] = false;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        code[i] = false;
                        i += 1;
                    }
                }
            } else {
                i += 1;
            }
        }
        let line_starts = std::iter::once(0).chain(src.match_indices('\n').map(|(k, _)| k + 1)).collect();
        Self { src, code, line_starts }
    }

    /// 1-based line and column of a byte offset (columns count characters).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.src[start..offset.min(self.src.len())].chars().count() + 1;
        (line, column)
    }

    /// Offset of the first `key:` at or after `from`, outside strings and comments.
    fn find_key(&self, key: &str, from: usize) -> Option<usize> {
        let b = self.src.as_bytes();
        let mut start = from;
        while let Some(k) = self.src.get(start..)?.find(key) {
            let at = start + k;
            let before_ok = at == 0 || !is_ident(b[at - 1]);
            let mut after = at + key.len();
            while after < b.len() && b[after].is_ascii_whitespace() {
                after += 1;
            }
            if self.code[at]
                && before_ok
                && after < b.len()
                && b[after] == b':'
                && (at + key.len() == b.len() || !is_ident(b[at + key.len()]))
            {
                return Some(at);
            }
            start = at + key.len();
        }
        None
    }

    /// Offset of a top-level-looking `key:` (the first one), or 0.
    pub fn key_offset(&self, key: &str) -> usize {
        self.find_key(key, 0).unwrap_or(0)
    }

    pub fn key(&self, key: &str, from: usize) -> usize {
        self.find_key(key, from).unwrap_or(0)
    }

    /// `field:` inside the `section:` block.
    pub fn key_in(&self, section: &str, field: &str) -> usize {
        let s = self.key_offset(section);
        self.find_key(field, s).unwrap_or(s)
    }

    /// The first `field:` after `from`, or `from`.
    pub fn field_after(&self, from: usize, field: &str) -> usize {
        self.find_key(field, from).unwrap_or(from)
    }

    /// Where team `i` (called `name`) is written: its `name:` key.
    pub fn team(&self, _name: &str, i: usize) -> usize {
        let teams = self.key_offset("teams");
        let first = self.item_after(teams, 0);
        let mut at = first;
        for k in 0..=i {
            match self.find_key("name", if k == 0 { first } else { at + 1 }) {
                Some(o) => at = o,
                None => return self.item_after(teams, i),
            }
        }
        at
    }

    /// Start of item `k` of the `section:` list.
    pub fn item_in(&self, section: &str, k: usize) -> usize {
        self.item_after(self.key_offset(section), k)
    }

    /// Start of item `k` of the first list (`[...]`) opening at or after `from`.
    pub fn item_after(&self, from: usize, k: usize) -> usize {
        let b = self.src.as_bytes();
        let Some(open) = (from..b.len()).find(|&i| self.code[i] && b[i] == b'[') else {
            return from;
        };
        let mut depth = 0i32;
        let mut index = 0usize;
        let mut expecting = true;
        #[allow(clippy::needless_range_loop)] // `i` indexes both the bytes and the code mask.
        for i in open..b.len() {
            if !self.code[i] {
                if expecting && depth == 1 {
                    if index == k {
                        return i.saturating_sub(1);
                    }
                    expecting = false;
                }
                continue;
            }
            match b[i] {
                b'[' | b'(' | b'{' => {
                    if expecting && depth == 1 {
                        if index == k {
                            return i;
                        }
                        expecting = false;
                    }
                    depth += 1;
                }
                b']' | b')' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b',' if depth == 1 => {
                    index += 1;
                    expecting = true;
                }
                c if c.is_ascii_whitespace() => {}
                _ => {
                    if expecting && depth == 1 {
                        if index == k {
                            return i;
                        }
                        expecting = false;
                    }
                }
            }
        }
        open
    }

    /// The first `"text"` literal at or after `from`, or `from`.
    pub fn string_after(&self, from: usize, text: &str) -> usize {
        let quoted = format!("\"{text}\"");
        let mut start = from;
        while let Some(k) = self.src.get(start..).and_then(|s| s.find(&quoted)) {
            if self.code[start + k] {
                return start + k;
            }
            start += k + 1;
        }
        from
    }

    /// Where the timeline called `name` is written, inside `timelines:`.
    pub fn timeline_offset(&self, name: &str) -> usize {
        let t = self.key_offset("timelines");
        self.string_after(t, name)
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_items_and_strings_outside_comments() {
        let src = "(\n  // teams: not here\n  teams: [\n    (name: \"a\"),\n    (name: \"b\", size: 0),\n  ],\n)";
        let at = Locator::new(src);
        assert_eq!(at.line_col(at.key_offset("teams")), (3, 3));
        assert_eq!(at.line_col(at.item_in("teams", 1)), (5, 5));
        assert_eq!(at.line_col(at.team("b", 1)), (5, 6));
        assert_eq!(at.line_col(at.field_after(at.team("b", 1), "size")), (5, 17));
        assert_eq!(at.line_col(at.string_after(0, "b")), (5, 12));
    }
}
