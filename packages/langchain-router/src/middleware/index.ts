export { routerMiddleware } from './router-middleware';
