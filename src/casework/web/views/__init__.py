"""Web views, one module per page or group of pages. Views are thin: they call the domain's
services and selectors and render; the rules live in the domain."""
