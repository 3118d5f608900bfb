// The explorer page: asks /graphql for one article's neighbourhood and draws it with cytoscape.js
// (loaded before this module as a classic script, so it is the global `cytoscape`).

const NEIGHBOURHOOD = `query ExploreArticle($id: ID!) {
  article(id: $id) {
    id
    headline
    publishedAt
    source { name }
    related(first: 8) {
      score
      reasons { kind label weight }
      article { id headline publishedAt }
    }
    spokespeople {
      role
      quoteCount
      person { id name }
      quotes { text }
    }
    topics { score topic { id slug name } }
    storyline {
      id
      firstSeen
      lastSeen
      articles(first: 12) { id headline publishedAt }
    }
  }
}`;

const NEWEST = `query ExploreNewest { articles(first: 1) { edges { node { id } } } }`;

const COLOURS = { centre: '#c2410c', article: '#2563eb', person: '#059669', topic: '#7c3aed', storyline: '#b45309' };

const $ = (id) => document.getElementById(id);
let cy = null;
let current = null;

async function graphql(query, variables) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`The server answered ${response.status} without a GraphQL result.`);
  }
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

const day = (iso) => (iso ? iso.slice(0, 10) : 'undated');
const short = (text, max = 48) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function reasonLabel(reason) {
  const label = reason.kind === 'TEXT_SIMILARITY' ? 'text' : short(reason.label, 24);
  return `${label} ${reason.weight.toFixed(2)}`;
}

const RADIUS = 230;
const STORY_RADIUS = 1.75 * RADIUS;
const MAX_STORY_ONLY = 6;

/** A point on the (slightly wide) ellipse around the centre, at `degrees` clockwise from east. */
function at(radius, degrees) {
  const a = (degrees * Math.PI) / 180;
  return { x: Math.round(1.35 * radius * Math.cos(a)), y: Math.round(radius * Math.sin(a)) };
}

/**
 * Nodes (with preset positions) and edges for cytoscape from one `article` result. The centre sits in the
 * middle; related stories take the top of the ring with twice the room of others (their edges carry reasons),
 * then people to the right and topics below. The storyline sits outside the ring straight above the centre,
 * in a gap between the related stories, with its other articles beside it.
 */
export function elements(article) {
  const nodes = new Map();
  const edges = [];
  const addNode = (id, kind, label, extra = {}) => {
    if (!nodes.has(id)) nodes.set(id, { data: { id, kind, label, ...extra } });
    return nodes.get(id);
  };
  const centre = addNode(article.id, 'centre', short(article.headline, 60), { headline: article.headline, publishedAt: article.publishedAt });
  centre.position = { x: 0, y: 0 };

  const ring = [];
  for (const link of article.related) {
    const a = link.article;
    ring.push({ node: addNode(a.id, 'article', short(a.headline), { headline: a.headline, publishedAt: a.publishedAt }), weight: 2 });
    const top = link.reasons.slice(0, 3).map(reasonLabel).join('\n');
    edges.push({ data: { id: `related:${a.id}`, source: article.id, target: a.id, kind: 'related', label: top, score: link.score } });
  }
  const story = article.storyline;
  const relatedWeight = ring.length * 2 + (story ? 1 : 0);
  if (story) ring.splice(Math.ceil(ring.length / 2), 0, { node: null, weight: 1 });
  for (const speaker of article.spokespeople) {
    const p = speaker.person;
    ring.push({ node: addNode(p.id, 'person', p.name, { role: speaker.role, quoteCount: speaker.quoteCount, quote: speaker.quotes[0]?.text ?? null }), weight: 1 });
    edges.push({ data: { id: `speaks:${p.id}`, source: p.id, target: article.id, kind: 'person', label: speaker.role ?? 'quoted' } });
  }
  for (const tag of article.topics) {
    const t = tag.topic;
    ring.push({ node: addNode(t.id, 'topic', t.name, { slug: t.slug, score: tag.score }), weight: 1 });
    edges.push({ data: { id: `topic:${t.id}`, source: article.id, target: t.id, kind: 'topic', label: tag.score.toFixed(2) } });
  }
  const unit = 360 / Math.max(1, ring.reduce((sum, slot) => sum + slot.weight, 0));
  let angle = -90 - (relatedWeight * unit) / 2;
  for (const slot of ring) {
    if (slot.node && !slot.node.position) slot.node.position = at(RADIUS, angle + (slot.weight * unit) / 2);
    angle += slot.weight * unit;
  }

  if (story) {
    const hub = addNode(story.id, 'storyline', `Storyline · ${story.articles.length} articles`, {
      firstSeen: story.firstSeen,
      lastSeen: story.lastSeen,
      count: story.articles.length,
    });
    hub.position = at(STORY_RADIUS, -90);
    edges.push({ data: { id: `in:${story.id}`, source: article.id, target: story.id, kind: 'storyline', label: 'storyline' } });
    // Articles already in view link to it; of the rest, the few nearest in time to this article are drawn.
    const here = story.articles.findIndex((a) => a.id === article.id);
    const others = story.articles
      .map((a, index) => ({ a, index }))
      .filter(({ a }) => a.id !== article.id)
      .sort((x, y) => Math.abs(x.index - here) - Math.abs(y.index - here));
    let placed = 0;
    let earlier = 0;
    let later = 0;
    for (const { a, index } of others) {
      const inView = nodes.has(a.id);
      if (!inView && placed >= MAX_STORY_ONLY) continue;
      const node = addNode(a.id, 'article', short(a.headline), { headline: a.headline, publishedAt: a.publishedAt });
      if (!inView) {
        // Earlier articles to the left of the storyline, later ones to the right.
        const side = index < here ? -1 : 1;
        const rank = side < 0 ? ++earlier : ++later;
        node.position = at(STORY_RADIUS, -90 + side * 20 * rank);
        placed += 1;
      }
      edges.push({ data: { id: `part:${story.id}:${a.id}`, source: story.id, target: a.id, kind: 'part', label: `#${index + 1} · ${day(a.publishedAt)}` } });
    }
  }
  return [...nodes.values(), ...edges];
}

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 12,
      'font-family': 'system-ui, sans-serif',
      color: '#111827',
      'text-wrap': 'wrap',
      'text-max-width': 150,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': 2,
      width: 26,
      height: 26,
      'border-width': 2,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node[kind = "centre"]', style: { 'background-color': COLOURS.centre, width: 46, height: 46, 'font-size': 14, 'font-weight': 'bold', 'text-max-width': 220 } },
  { selector: 'node[kind = "article"]', style: { 'background-color': COLOURS.article, shape: 'round-rectangle' } },
  { selector: 'node[kind = "person"]', style: { 'background-color': COLOURS.person, shape: 'ellipse' } },
  { selector: 'node[kind = "topic"]', style: { 'background-color': COLOURS.topic, shape: 'diamond' } },
  { selector: 'node[kind = "storyline"]', style: { 'background-color': COLOURS.storyline, shape: 'hexagon', width: 32, height: 32 } },
  { selector: 'node:selected', style: { 'border-color': '#111827', 'border-width': 3 } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#9ca3af',
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 10,
      color: '#374151',
      'text-wrap': 'wrap',
      'text-background-color': '#f9fafb',
      'text-background-opacity': 0.9,
      'text-background-padding': 1,
    },
  },
  { selector: 'edge[kind = "related"]', style: { 'line-color': COLOURS.article, width: 'mapData(score, 0, 2, 1.5, 6)' } },
  { selector: 'edge[kind = "person"]', style: { 'line-color': COLOURS.person } },
  { selector: 'edge[kind = "topic"]', style: { 'line-color': COLOURS.topic, 'line-style': 'dashed' } },
  { selector: 'edge[kind = "storyline"], edge[kind = "part"]', style: { 'line-color': COLOURS.storyline } },
];

function setStatus(text, state) {
  $('status').textContent = text;
  document.body.dataset.state = state;
}

function showError(message) {
  cy?.elements().remove();
  document.body.dataset.nodeCount = '0';
  $('headline').textContent = 'Nothing to show';
  $('meta').textContent = '';
  $('articles').replaceChildren();
  document.title = 'news-graph explorer';
  setStatus(message, 'error');
}

function showInfo(node) {
  const d = node.data();
  const box = $('info');
  const line = (label, value) => {
    const p = document.createElement('p');
    const b = document.createElement('strong');
    b.textContent = `${label}: `;
    p.append(b, String(value));
    return p;
  };
  const rows = [];
  if (d.kind === 'person') {
    rows.push(line('Person', d.label), line('Role here', d.role ?? 'not stated'), line('Quotes here', d.quoteCount));
    if (d.quote) {
      const q = document.createElement('blockquote');
      q.textContent = short(d.quote, 240);
      rows.push(q);
    }
  } else if (d.kind === 'topic') {
    rows.push(line('Topic', d.label), line('Slug', d.slug), line('Score', d.score.toFixed(2)));
  } else if (d.kind === 'storyline') {
    rows.push(line('Storyline', `${d.count} articles`), line('From', day(d.firstSeen)), line('To', day(d.lastSeen)));
  } else {
    rows.push(line('Article', d.headline), line('Published', day(d.publishedAt)));
  }
  box.replaceChildren(...rows);
}

function listArticles(nodes) {
  const items = nodes
    .filter((n) => n.data('kind') === 'article')
    .map((n) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.article = n.id();
      button.textContent = `${n.data('headline')} (${day(n.data('publishedAt'))})`;
      button.addEventListener('click', () => navigate(n.id()));
      li.append(button);
      return li;
    });
  $('articles').replaceChildren(...items);
}

async function show(id) {
  setStatus('Loading…', 'loading');
  let article;
  try {
    article = (await graphql(NEIGHBOURHOOD, { id })).article;
  } catch (error) {
    showError(`Could not load article "${id}": ${error.message}`);
    return;
  }
  if (!article) {
    showError(`No article has the ID "${id}". It may have been removed, or the link is wrong.`);
    return;
  }
  current = article.id;
  $('headline').textContent = article.headline;
  $('meta').textContent = [day(article.publishedAt), article.source?.name].filter(Boolean).join(' · ');
  document.title = `${article.headline} · news-graph explorer`;

  cy.elements().remove();
  cy.add(elements(article));
  cy.layout({ name: 'preset', fit: true, padding: 40, animate: false }).run();
  const count = cy.nodes().length;
  document.body.dataset.nodeCount = String(count);
  document.body.dataset.centre = article.id;
  $('cy').setAttribute(
    'aria-label',
    `Graph around "${article.headline}": ${article.related.length} related stories, ${article.spokespeople.length} spokespeople, ` +
      `${article.topics.length} topics${article.storyline ? ', and its storyline' : ''}.`,
  );
  listArticles(cy.nodes());
  $('info').replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Nothing selected.' }));
  setStatus(`${count} nodes, ${cy.edges().length} edges.`, 'ready');
}

function navigate(id) {
  if (id === current) return;
  history.pushState({ article: id }, '', `/explore?article=${encodeURIComponent(id)}`);
  void show(id);
}

async function start() {
  if (typeof cytoscape !== 'function') {
    showError('The graph library did not load.');
    return;
  }
  cy = cytoscape({ container: $('cy'), style: STYLE, minZoom: 0.2, maxZoom: 3, wheelSensitivity: 0.3 });
  window.cy = cy;
  cy.on('tap', 'node', (event) => {
    const node = event.target;
    if (node.data('kind') === 'article') navigate(node.id());
    else showInfo(node);
  });
  window.addEventListener('popstate', () => void route());
  await route();
}

async function route() {
  const id = new URLSearchParams(location.search).get('article');
  if (id) return show(id);
  let newest;
  try {
    newest = (await graphql(NEWEST)).articles.edges[0]?.node.id;
  } catch (error) {
    showError(`Could not list articles: ${error.message}`);
    return;
  }
  if (!newest) {
    showError('No articles are stored yet. Ingest some pages, then reload.');
    return;
  }
  history.replaceState({ article: newest }, '', `/explore?article=${encodeURIComponent(newest)}`);
  return show(newest);
}

void start();
