// GraphiQL on linkgraph's /graphql. The browser sends the session cookie by itself;
// every POST made with it must also repeat the session's CSRF token (the lg_csrf
// cookie) in the X-CSRF-Token header, which this fetch adds to each request.
(function () {
  "use strict";

  function csrfToken() {
    var prefix = "lg_csrf=";
    var found = document.cookie.split("; ").find(function (part) {
      return part.indexOf(prefix) === 0;
    });
    return found ? decodeURIComponent(found.slice(prefix.length)) : "";
  }

  function fetchWithCsrf(url, init) {
    var options = Object.assign({}, init, { credentials: "same-origin" });
    options.headers = Object.assign({}, init && init.headers, {
      "X-CSRF-Token": csrfToken(),
    });
    return window.fetch(url, options);
  }

  var fetcher = GraphiQL.createFetcher({ url: "/graphql", fetch: fetchWithCsrf });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: "{\n  me {\n    name\n    role\n  }\n}\n",
      // Headers typed in the editor may hold a key: never kept in localStorage.
      shouldPersistHeaders: false,
    }),
  );
})();
