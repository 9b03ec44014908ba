// The service desk (服务, issue 14): tickets in ./tickets, suggestions and surveys in ./feedback.
export * from './tickets/index.js'
export * from './feedback/index.js'
