//! Communication networks: GraphML and GEXF as networkx, Gephi and yEd write them, and edge
//! lists (`source,target[,weight]`). Nodes keep their label, a group attribute (group, club,
//! department, community, modularity class...) and a size where given.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::error::{ImportError, ImportErrors, Problems};
use super::table::{Role, Table, decode, find_columns, normalize, parse_number, quoted, read_bytes, recognised};

/// A node of a network.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub label: Option<String>,
    pub group: Option<String>,
    pub size: Option<f64>,
}

/// An edge between two nodes (indices into `nodes`).
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub weight: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Network {
    pub file: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub notes: Vec<String>,
}

/// Attribute names taken as a node's group.
const GROUP_ATTRIBUTES: [&str; 12] = [
    "group",
    "club",
    "department",
    "dept",
    "community",
    "modularityclass",
    "module",
    "cluster",
    "team",
    "unit",
    "division",
    "class",
];
const LABEL_ATTRIBUTES: [&str; 3] = ["label", "name", "title"];
const SIZE_ATTRIBUTES: [&str; 5] = ["size", "headcount", "people", "fte", "members"];
/// The largest edge weight taken; larger ones count as this.
pub const MAX_WEIGHT: f64 = 1e12;
const WEIGHT_ATTRIBUTES: [&str; 5] = ["weight", "value", "strength", "count", "messages"];

/// The two XML formats a network is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    GraphMl,
    Gexf,
}

/// Reads `path` as a network if it is one: `.graphml` and `.gexf` by name, `.xml` by its root
/// element (read once, whole). `None` for any other file.
pub fn read_graph_file(path: &Path, max_nodes: usize) -> Result<Option<Network>, ImportErrors> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if !matches!(ext.as_str(), "graphml" | "gexf" | "xml") {
        return Ok(None);
    }
    let file = path.display().to_string();
    let bytes = read_bytes(path)?;
    let (text, note) = decode(&bytes);
    drop(bytes);
    let format = match ext.as_str() {
        "graphml" => GraphFormat::GraphMl,
        "gexf" => GraphFormat::Gexf,
        _ => {
            let head: String = text.chars().take(2000).collect::<String>().to_lowercase();
            if head.contains("<graphml") {
                GraphFormat::GraphMl
            } else if head.contains("<gexf") {
                GraphFormat::Gexf
            } else {
                return Err(ImportError::File { file, message: "is XML but neither GraphML nor GEXF".into() }.into());
            }
        }
    };
    let mut network = parse_xml(&file, &text, format, max_nodes)?;
    network.notes.extend(note);
    Ok(Some(network))
}

/// Line and column (1-based) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0);
    (line, (before.len() - start) as u64 + 1)
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key.local_name()) == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.trim().to_string()))
}

/// An edge as read: source, target, its id, where it starts, and its attributes.
type RawEdge = (String, String, Option<String>, usize, Vec<(String, String)>);

/// A node's or an edge's attribute (its declared name, normalized) and value, as read.
struct Pending {
    id: String,
    at: usize,
    values: Vec<(String, String)>,
    /// Text of a yEd label inside it.
    label_text: Option<String>,
    /// The node this one is nested in (a yEd or GEXF group).
    inside: Option<usize>,
}

/// GraphML and GEXF in one pass over the elements that matter: keys or attribute
/// declarations, nodes with their data, edges with theirs. Nested nodes (yEd groups) take the
/// node they are in as their group and the group node itself is not a team.
pub fn parse_xml(file: &str, text: &str, format: GraphFormat, max_nodes: usize) -> Result<Network, ImportErrors> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut problems = Problems::default();
    // Declared attributes: id → (for nodes or edges, normalized name).
    let mut keys: HashMap<String, (String, String)> = HashMap::new();
    let mut raw_nodes: Vec<Pending> = Vec::new();
    let mut raw_edges: Vec<RawEdge> = Vec::new();
    let mut node_stack: Vec<usize> = Vec::new();
    // Elements open, with where each began: a file cut short ends with some still open.
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut in_edge = false;
    let mut attributes_class = String::new();
    let mut data_key: Option<String> = None;
    let mut text_buffer = String::new();
    let mut in_label = false;
    let at_error = |offset: u64, message: String| {
        let (line, column) = line_column(text, offset as usize);
        ImportError::Element { file: file.to_string(), line, column, element: "file", id: String::new(), message }
    };
    loop {
        let start = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                problems.push(at_error(reader.error_position(), format!("is not well-formed XML: {e}")));
                return Err(ImportErrors(problems.0));
            }
        };
        let (is_empty, element) = match &event {
            Event::Start(e) => {
                open.push((AsRef::<str>::as_ref(&e.local_name()).to_string(), start));
                (false, Some(e.clone()))
            }
            Event::Empty(e) => (true, Some(e.clone())),
            _ => (false, None),
        };
        if let Some(e) = element {
            let name = AsRef::<str>::as_ref(&e.local_name()).to_lowercase();
            match (format, name.as_str()) {
                (GraphFormat::GraphMl, "key") => {
                    let id = attribute(&e, "id").unwrap_or_default();
                    let target = attribute(&e, "for").unwrap_or_else(|| "all".into());
                    let declared = attribute(&e, "attr.name")
                        .or_else(|| attribute(&e, "yfiles.type"))
                        .map(|n| normalize(&n))
                        .unwrap_or_default();
                    keys.insert(id, (target, declared));
                }
                (GraphFormat::Gexf, "attributes") => attributes_class = attribute(&e, "class").unwrap_or_default(),
                (GraphFormat::Gexf, "attribute") => {
                    let id = attribute(&e, "id").unwrap_or_default();
                    let title = attribute(&e, "title").map(|t| normalize(&t)).unwrap_or_default();
                    keys.insert(id, (attributes_class.clone(), title));
                }
                (_, "node") => {
                    let id = attribute(&e, "id");
                    if id.as_deref().is_none_or(str::is_empty) {
                        let (line, column) = line_column(text, start);
                        problems.push(ImportError::Element {
                            file: file.to_string(),
                            line,
                            column,
                            element: "node",
                            id: String::new(),
                            message: "has no id".into(),
                        });
                    }
                    let mut values = Vec::new();
                    if let Some(label) = attribute(&e, "label") {
                        values.push(("label".to_string(), label));
                    }
                    if let Some(pid) = attribute(&e, "pid") {
                        values.push(("\u{0}pid".to_string(), pid));
                    }
                    raw_nodes.push(Pending {
                        id: id.unwrap_or_default(),
                        at: start,
                        values,
                        label_text: None,
                        inside: node_stack.last().copied(),
                    });
                    if raw_nodes.len() > max_nodes {
                        problems.push(ImportError::File {
                            file: file.to_string(),
                            message: format!(
                                "has more than {max_nodes} nodes; Understory refuses organizations this large"
                            ),
                        });
                        return Err(ImportErrors(problems.0));
                    }
                    if !is_empty {
                        node_stack.push(raw_nodes.len() - 1);
                    }
                }
                (_, "edge") => {
                    let source = attribute(&e, "source").unwrap_or_default();
                    let target = attribute(&e, "target").unwrap_or_default();
                    let mut values = Vec::new();
                    if let Some(w) = attribute(&e, "weight") {
                        values.push(("weight".to_string(), w));
                    }
                    raw_edges.push((source, target, attribute(&e, "id"), start, values));
                    in_edge = !is_empty;
                }
                (GraphFormat::GraphMl, "data") if !is_empty => {
                    data_key = attribute(&e, "key");
                    text_buffer.clear();
                }
                (GraphFormat::GraphMl, "nodelabel") if !is_empty => {
                    in_label = true;
                    text_buffer.clear();
                }
                (GraphFormat::Gexf, "attvalue") => {
                    let key = attribute(&e, "for").or_else(|| attribute(&e, "id")).unwrap_or_default();
                    let value = attribute(&e, "value").unwrap_or_default();
                    let name = keys.get(&key).map(|(_, n)| n.clone()).unwrap_or_else(|| normalize(&key));
                    if in_edge {
                        if let Some(edge) = raw_edges.last_mut() {
                            edge.4.push((name, value));
                        }
                    } else if let Some(&node) = node_stack.last() {
                        raw_nodes[node].values.push((name, value));
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Text(t) if data_key.is_some() || in_label => text_buffer.push_str(&t.xml10_content()),
            Event::CData(t) if data_key.is_some() || in_label => text_buffer.push_str(&t),
            Event::GeneralRef(r) if data_key.is_some() || in_label => {
                let resolved = r
                    .resolve_char_ref()
                    .ok()
                    .flatten()
                    .map(String::from)
                    .or_else(|| quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(String::from));
                text_buffer.push_str(&resolved.unwrap_or_default());
            }
            Event::End(e) => {
                open.pop();
                let name = AsRef::<str>::as_ref(&e.local_name()).to_lowercase();
                match name.as_str() {
                    "node" => {
                        node_stack.pop();
                    }
                    "edge" => in_edge = false,
                    "nodelabel" => {
                        in_label = false;
                        if let Some(&node) = node_stack.last() {
                            let label = text_buffer.trim().to_string();
                            if !label.is_empty() && raw_nodes[node].label_text.is_none() {
                                raw_nodes[node].label_text = Some(label);
                            }
                        }
                        text_buffer.clear();
                    }
                    "data" => {
                        if let Some(key) = data_key.take() {
                            let declared = keys.get(&key).map(|(_, n)| n.clone()).unwrap_or_else(|| normalize(&key));
                            let value = text_buffer.trim().to_string();
                            if in_edge {
                                if let Some(edge) = raw_edges.last_mut() {
                                    edge.4.push((declared, value));
                                }
                            } else if let Some(&node) = node_stack.last() {
                                raw_nodes[node].values.push((declared, value));
                            }
                        }
                        text_buffer.clear();
                    }
                    _ => {}
                }
            }
            Event::Eof => {
                if let Some((name, at)) = open.last() {
                    let (line, column) = line_column(text, *at);
                    problems.push(at_error(
                        text.len() as u64,
                        format!(
                            "ends with <{name}> (from line {line}, column {column}) still open: the file is cut short"
                        ),
                    ));
                    return Err(ImportErrors(problems.0));
                }
                break;
            }
            _ => {}
        }
    }
    assemble(file, text, raw_nodes, raw_edges, problems)
}

/// The nodes and edges read, checked: unique ids, edges between known nodes, numeric weights.
fn assemble(
    file: &str,
    text: &str,
    raw_nodes: Vec<Pending>,
    raw_edges: Vec<RawEdge>,
    mut problems: Problems,
) -> Result<Network, ImportErrors> {
    let pick = |values: &[(String, String)], names: &[&str]| -> Option<String> {
        names.iter().find_map(|n| values.iter().find(|(k, v)| k == n && !v.is_empty()).map(|(_, v)| v.clone()))
    };
    let element = |kind: &'static str, id: &str, at: usize, message: String| {
        let (line, column) = line_column(text, at);
        ImportError::Element { file: file.to_string(), line, column, element: kind, id: id.to_string(), message }
    };
    // A node that holds others (a yEd group) is a group, not a team.
    let mut holds = vec![false; raw_nodes.len()];
    for n in &raw_nodes {
        if let Some(p) = n.inside {
            holds[p] = true;
        }
    }
    let label_of = |n: &Pending| pick(&n.values, &LABEL_ATTRIBUTES).or_else(|| n.label_text.clone());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(raw_nodes.len());
    let mut nodes = Vec::with_capacity(raw_nodes.len());
    let mut group_nodes = 0usize;
    for (k, n) in raw_nodes.iter().enumerate() {
        if n.id.is_empty() {
            continue;
        }
        if holds[k] {
            group_nodes += 1;
            continue;
        }
        if index.contains_key(&n.id) {
            problems.push(element("node", &n.id, n.at, "has the id of an earlier node".into()));
            continue;
        }
        let size = match pick(&n.values, &SIZE_ATTRIBUTES) {
            Some(text) => match parse_number(&text) {
                Some(v) if v >= 0.0 => Some(v.clamp(1.0, 100_000.0)),
                _ => {
                    problems.push(element("node", &n.id, n.at, format!("size \"{text}\" is not a number of people")));
                    None
                }
            },
            None => None,
        };
        let group = pick(&n.values, &GROUP_ATTRIBUTES)
            .or_else(|| n.inside.map(|p| label_of(&raw_nodes[p]).unwrap_or(raw_nodes[p].id.clone())));
        index.insert(n.id.clone(), nodes.len());
        nodes.push(Node { id: n.id.clone(), label: label_of(n), group, size });
    }
    // GEXF's pid: a node's parent node, also a group.
    for (k, n) in raw_nodes.iter().enumerate() {
        if let Some(pid) = pick(&n.values, &["\u{0}pid"])
            && let (Some(&me), Some(parent)) = (index.get(&n.id), raw_nodes.iter().find(|p| p.id == pid))
            && !holds[k]
        {
            nodes[me].group.get_or_insert_with(|| label_of(parent).unwrap_or(pid.clone()));
        }
    }
    let mut edges = Vec::with_capacity(raw_edges.len());
    // yEd draws edges to a group's box as well as to its members: those are not between teams.
    let groups: std::collections::HashSet<&str> =
        raw_nodes.iter().enumerate().filter(|(k, _)| holds[*k]).map(|(_, n)| n.id.as_str()).collect();
    let mut to_groups = 0usize;
    for (source, target, id, at, values) in &raw_edges {
        if groups.contains(source.as_str()) || groups.contains(target.as_str()) {
            to_groups += 1;
            continue;
        }
        let name = id.clone().unwrap_or_else(|| format!("{source} → {target}"));
        let mut end = |node: &str, which: &str| match index.get(node) {
            Some(&n) => Some(n),
            None => {
                let message = if node.is_empty() {
                    format!("has no {which}")
                } else {
                    format!("{which} \"{node}\" is not a node of the network")
                };
                problems.push(element("edge", &name, *at, message));
                None
            }
        };
        let (a, b) = (end(source, "source"), end(target, "target"));
        let weight = match pick(values, &WEIGHT_ATTRIBUTES) {
            Some(text) => match parse_number(&text) {
                // Capped, so that summed weights stay finite.
                Some(w) if w >= 0.0 => w.min(MAX_WEIGHT),
                _ => {
                    problems.push(element(
                        "edge",
                        &name,
                        *at,
                        format!("weight \"{text}\" is not a number of 0 or more"),
                    ));
                    continue;
                }
            },
            None => 1.0,
        };
        if let (Some(a), Some(b)) = (a, b) {
            edges.push(Edge { a, b, weight });
        }
    }
    if nodes.is_empty() && problems.is_empty() {
        problems.push(ImportError::File { file: file.to_string(), message: "has no nodes".into() });
    }
    let mut notes = Vec::new();
    if to_groups > 0 {
        notes.push(format!("{to_groups} edges to a group's box (not to a team in it) are left out"));
    }
    if group_nodes > 0 {
        notes.push(format!("{group_nodes} group nodes hold other nodes: they are groups, not teams"));
    }
    problems.or(Network { file: file.to_string(), nodes, edges, notes })
}

/// An edge list: a table with source and target columns (and a weight), or, with no header it
/// recognises, the first two (and third) columns.
pub fn network_from_edge_table(table: &Table) -> Result<Network, ImportErrors> {
    let file = table.file.as_str();
    let roles = [Role::Source, Role::Target, Role::Weight];
    let columns = find_columns(file, &table.headers, &roles, &[])?;
    let mut rows: Vec<(u64, Vec<String>)> = table.rows.iter().map(|r| (r.line, r.fields.clone())).collect();
    let mut notes = table.notes.clone();
    let (s, t, w) = match (columns.get(&Role::Source), columns.get(&Role::Target)) {
        (Some(&s), Some(&t)) => (s, t, columns.get(&Role::Weight).copied()),
        _ if (2..=3).contains(&table.headers.len()) => {
            rows.insert(0, (table.header_line, table.headers.clone()));
            notes.push(
                "no source and target header: the first row is an edge, the columns source, target (, weight)".into(),
            );
            (0, 1, (table.headers.len() == 3).then_some(2))
        }
        _ => {
            return Err(ImportError::File {
                file: file.to_string(),
                message: format!(
                    "no source and target columns for an edge list; recognised: {}; columns seen: {}",
                    recognised(&table.headers, &columns),
                    quoted(&table.headers)
                ),
            }
            .into());
        }
    };
    let mut problems = Problems::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut edges = Vec::with_capacity(rows.len());
    let mut node = |id: &str, nodes: &mut Vec<Node>| -> usize {
        *index.entry(id.to_string()).or_insert_with(|| {
            nodes.push(Node { id: id.to_string(), label: None, group: None, size: None });
            nodes.len() - 1
        })
    };
    for (line, fields) in &rows {
        let get = |k: usize| fields.get(k).map(|f| f.trim()).unwrap_or("");
        let (a, b) = (get(s), get(t));
        for (k, v) in [(s, a), (t, b)] {
            if v.is_empty() {
                problems.push(ImportError::Cell {
                    file: file.to_string(),
                    line: *line,
                    column: k + 1,
                    message: "an edge needs both ends".into(),
                });
            }
        }
        if a.is_empty() || b.is_empty() {
            continue;
        }
        let weight = match w.map(get).filter(|v| !v.is_empty()) {
            Some(text) => match parse_number(text) {
                Some(v) if v >= 0.0 => v.min(MAX_WEIGHT),
                _ => {
                    problems.push(ImportError::Cell {
                        file: file.to_string(),
                        line: *line,
                        column: w.unwrap_or(0) + 1,
                        message: format!("weight \"{text}\" is not a number of 0 or more"),
                    });
                    continue;
                }
            },
            None => 1.0,
        };
        let (a, b) = (node(a, &mut nodes), node(b, &mut nodes));
        edges.push(Edge { a, b, weight });
    }
    if edges.is_empty() && problems.is_empty() {
        problems.push(ImportError::File { file: file.to_string(), message: "has no edges".into() });
    }
    problems.or(Network { file: file.to_string(), nodes, edges, notes })
}

/// Whether a table's header reads as an edge list's.
pub fn looks_like_edge_list(headers: &[String]) -> bool {
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let has = |names: &[&str]| normalized.iter().any(|h| names.contains(&h.as_str()));
    has(&["source", "from", "sender", "src"]) && has(&["target", "to", "receiver", "dst"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networkx_style_graphml_keeps_labels_groups_and_weights() {
        let text = r#"<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="club" attr.type="string"/>
  <key id="d1" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="undirected">
    <node id="0"><data key="d0">Mr. Hi</data></node>
    <node id="1"><data key="d0">Officer &amp; co</data></node>
    <edge source="0" target="1"><data key="d1">4</data></edge>
  </graph>
</graphml>"#;
        let n = parse_xml("g.graphml", text, GraphFormat::GraphMl, 100).unwrap();
        assert_eq!(n.nodes.len(), 2);
        assert_eq!(n.nodes[0].group.as_deref(), Some("Mr. Hi"));
        assert_eq!(n.nodes[1].group.as_deref(), Some("Officer & co"));
        assert_eq!(n.edges, vec![Edge { a: 0, b: 1, weight: 4.0 }]);
    }

    #[test]
    fn gexf_attvalues_and_edge_weights_are_read() {
        let text = r#"<gexf version="1.2"><graph defaultedgetype="undirected">
<attributes class="node"><attribute id="0" title="modularity_class" type="integer"/></attributes>
<nodes><node id="a" label="Ana"><attvalues><attvalue for="0" value="1"/></attvalues></node>
<node id="b" label="Bo"/></nodes>
<edges><edge id="e0" source="a" target="b" weight="2.5"/></edges></graph></gexf>"#;
        let n = parse_xml("g.gexf", text, GraphFormat::Gexf, 100).unwrap();
        assert_eq!(n.nodes[0].label.as_deref(), Some("Ana"));
        assert_eq!(n.nodes[0].group.as_deref(), Some("1"));
        assert_eq!(n.edges[0].weight, 2.5);
    }

    #[test]
    fn an_edge_to_an_unknown_node_is_named_by_its_id_and_line() {
        let text =
            "<graphml>\n<graph>\n<node id=\"a\"/>\n<edge id=\"e7\" source=\"a\" target=\"zz\"/>\n</graph></graphml>";
        let e = parse_xml("g.graphml", text, GraphFormat::GraphMl, 100).unwrap_err().to_string();
        assert!(e.starts_with("g.graphml:4:1: edge \"e7\": target \"zz\" is not a node"), "{e}");
    }

    #[test]
    fn broken_xml_says_where() {
        let e = parse_xml("g.graphml", "<graphml>\n<graph>\n<node id=\"a\">\n</graph>", GraphFormat::GraphMl, 100)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.graphml:4:"), "{e}");
        assert!(e.contains("not well-formed"), "{e}");
    }

    #[test]
    fn yed_groups_become_groups_and_labels_come_from_node_labels() {
        let text = r#"<graphml xmlns:y="http://www.yworks.com/xml/graphml">
<key for="node" id="d6" yfiles.type="nodegraphics"/>
<graph>
<node id="n0" yfiles.foldertype="group"><data key="d6"><y:ProxyAutoBoundsNode><y:Realizers><y:GroupNode><y:NodeLabel>Sales</y:NodeLabel></y:GroupNode></y:Realizers></y:ProxyAutoBoundsNode></data>
<graph id="n0:">
<node id="n0::n0"><data key="d6"><y:ShapeNode><y:NodeLabel>Ana</y:NodeLabel></y:ShapeNode></data></node>
</graph></node>
<node id="n1"><data key="d6"><y:ShapeNode><y:NodeLabel>Bo</y:NodeLabel></y:ShapeNode></data></node>
<edge id="e0" source="n0::n0" target="n1"/>
</graph></graphml>"#;
        let n = parse_xml("y.graphml", text, GraphFormat::GraphMl, 100).unwrap();
        let labels: Vec<_> = n.nodes.iter().map(|x| (x.label.clone().unwrap(), x.group.clone())).collect();
        assert_eq!(labels, vec![("Ana".into(), Some("Sales".into())), ("Bo".into(), None)]);
        assert_eq!(n.edges.len(), 1);
    }
}
