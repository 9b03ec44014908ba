// Marketing (营销, issue 15): the channel layer in ./channels.
export * from './channels/index.js'
export * from './templates/index.js'
export * from './campaigns/index.js'
export * from './events/index.js'
export * from './journeys/index.js'
