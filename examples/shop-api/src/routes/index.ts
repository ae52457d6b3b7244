/** The one route table: the server mounts it and the spec test compares it with openapi.yaml both ways. */
import type { Route } from '../http.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { cartRoutes } from './carts.js';
import { importRoutes } from './imports.js';
import { miscRoutes } from './misc.js';
import { orderRoutes } from './orders.js';
import { productRoutes } from './products.js';
import { userRoutes } from './users.js';
import { v1Routes } from './v1.js';

export const routes: readonly Route[] = [
  ...miscRoutes, ...authRoutes, ...userRoutes, ...productRoutes, ...orderRoutes,
  ...cartRoutes, ...importRoutes, ...adminRoutes, ...v1Routes,
];
