import * as Comlink from 'comlink';
import { createLoader } from './bundle-loader/loader.ts';

Comlink.expose(createLoader());
