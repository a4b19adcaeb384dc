// Do not modify this file by hand!
// Re-generate this file by running lit-localize

import { html } from 'lit';
import { str } from '@lit/localize';

/* eslint-disable no-irregular-whitespace */
/* eslint-disable @typescript-eslint/no-explicit-any */

export const templates = {
  s431c74c60ffafe60: `Ajouter un`,
  s28f4e161fa737a32: str`${0} clics`,
  hf74640afc1939315: html`Bienvenue sur <b>Atoll</b>, rendu sur le serveur dans votre langue.`,
  sf9af130098cefe89: `Atoll en deux langues`,
  s8948a3b071cd525c: `À propos de cette recette`,
};
