import type { en } from '../en'

export const pages: (typeof en)['pages'] = {
  notFound: { title: 'Página no encontrada', message: 'No hay nada en esta dirección.' },
  goHome: 'Ir al inicio',
  refused: {
    title: 'Solicitud rechazada',
    message: 'Este formulario se envió desde otro sitio o desde una página antigua. Vuelva atrás, recargue la página e inténtelo de nuevo.',
  },
  tooLarge: {
    title: 'Demasiados datos',
    message: 'Ese formulario era más grande de lo que aceptamos. Acorte lo que escribió e inténtelo de nuevo.',
  },
  busy: {
    title: 'Ocupado, inténtelo de nuevo',
    message: 'La base de datos estaba ocupada y no se guardó nada. Inténtelo de nuevo en un momento.',
  },
  error: { title: 'Algo salió mal', message: 'No pudimos terminar eso. No se perdió nada; inténtelo de nuevo en un momento.' },
  adminsOnly: { title: 'No disponible', message: 'Solo los administradores de la práctica pueden abrir esta página.' },
  goPortalHome: 'Ir al inicio de su portal',
}
