// Shared by the Node-side global setup and the tests that run in workerd.
export const ADMIN_EMAIL = 'admin@harbor.test'
export const ADMIN_PASSWORD = 'Tidal orchid lantern quiver 42'
export const PRACTICE_NAME = 'Harbor Therapy Group'
export const STRONG_PASSWORD = 'Marigold tractor sonnet 1911'
