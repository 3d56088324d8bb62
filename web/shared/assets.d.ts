/** Style sheets imported for their effect: esbuild bundles them into the page's hashed CSS file. */
declare module '*.css';
