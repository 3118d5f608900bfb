export interface ExplorePageAssets {
  cytoscape: string;
  script: string;
  styles: string;
  cytoscapeVersion: string;
}

/** The explorer's HTML shell; explore.js fills it from /graphql. */
export function renderExplorePage(assets: ExplorePageAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>news-graph explorer</title>
<link rel="stylesheet" href="${assets.styles}">
<script src="${assets.cytoscape}" defer></script>
<script type="module" src="${assets.script}"></script>
</head>
<body data-state="loading">
<header>
  <p class="brand"><a href="/graphql">news-graph</a> · explorer</p>
  <h1 id="headline">Loading the article…</h1>
  <p id="meta" class="meta"></p>
</header>
<main>
  <section class="graph-pane" aria-labelledby="graph-caption">
    <h2 id="graph-caption" class="visually-hidden">Neighbourhood graph</h2>
    <div id="cy" role="img" aria-label="Graph of the article's neighbourhood"></div>
    <p id="status" role="status" aria-live="polite">Loading…</p>
  </section>
  <aside>
    <section aria-labelledby="legend-title">
      <h2 id="legend-title">Legend</h2>
      <ul class="legend">
        <li><span class="swatch centre"></span>This article</li>
        <li><span class="swatch article"></span>Related or storyline article</li>
        <li><span class="swatch person"></span>Spokesperson (edge: role)</li>
        <li><span class="swatch topic"></span>Topic (edge: score)</li>
        <li><span class="swatch storyline"></span>Storyline</li>
      </ul>
      <p class="hint">Click an article to re-centre the graph on it; click a person or topic for details.</p>
    </section>
    <section aria-labelledby="info-title">
      <h2 id="info-title">Details</h2>
      <div id="info"><p>Nothing selected.</p></div>
    </section>
    <section aria-labelledby="articles-title">
      <h2 id="articles-title">Articles in view</h2>
      <ul id="articles" class="articles"></ul>
    </section>
  </aside>
</main>
<footer>Drawn with cytoscape.js ${assets.cytoscapeVersion}, served by this service. Data from <a href="/graphql">/graphql</a>.</footer>
</body>
</html>
`;
}
