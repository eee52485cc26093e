// GraphiQL against this host's /graphql. Signed-in admins use their cookie; others may paste a bearer token
// into the Headers tab: {"Authorization": "Bearer …"}.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: { Accept: 'application/graphql-response+json' } });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
